package dev.fanout.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.ServerProcess;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What someone who subscribed a webhook to an instance's events receives, and when. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NotifyTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli fanout;

  @BeforeEach
  void anInstanceWithATable() {
    source = TestDatabase.create(Kind.H2, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(40))");
    addOrders(1, 500);
    fanout = new FanoutCli(tmp.resolve("home")).initWithSource(source);
    fanout.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target",
        "sales.orders", "--import", "incr", "--incr-column", "id");
  }

  @AfterEach
  void dropTheSource() {
    source.close();
  }

  private void addOrders(int from, int to) {
    StringBuilder sql = new StringBuilder("INSERT INTO orders VALUES ");
    for (int i = from; i <= to; i++) {
      sql.append(i == from ? "" : ",").append("(").append(i).append(", 'item ").append(i).append("')");
    }
    source.execute(sql.toString());
  }

  @Test
  void anImportPostsImportDoneWithItsRowsSignedWithTheSecret() throws Exception {
    try (WebhookEndpoint endpoint = WebhookEndpoint.start()) {
      String added = fanout.runWithStdin("s3cret", "notify", "add", "--url", endpoint.url(), "--events", "import.done",
          "--secret-stdin").out();
      assertThat(added).contains("Notification endpoint 1").contains("import.done").contains("(signed)");

      Instant before = Instant.now();
      fanout.ok("import", "--table", "sales.orders");

      // delivered by the import itself, at its end: no server runs
      List<WebhookEndpoint.Received> posts = endpoint.received();
      assertThat(posts).hasSize(1);
      WebhookEndpoint.Received post = posts.get(0);
      assertThat(post.headers().getFirst("Content-Type")).isEqualTo("application/json");
      assertThat(post.event()).isEqualTo("import.done");
      assertThat(post.json().get("table").asText()).isEqualTo("sales.orders");
      assertThat(post.json().get("rows").asLong()).isEqualTo(500);
      assertThat(post.json().get("instance").asText()).isNotBlank();
      assertThat(post.json().get("import_id").asText()).isNotBlank();
      assertThat(post.json().get("error").isNull()).isTrue();
      assertThat(Instant.parse(post.json().get("time").asText())).isBetween(before, Instant.now());
      assertThat(post.json().get("time").asText()).endsWith("Z");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      assertThat(post.headers().getFirst("X-Fanout-Signature"))
          .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(post.body().getBytes(StandardCharsets.UTF_8))));
      assertThat(fanout.ok("notify", "list")).contains("undelivered 0, dropped 0, signed");
    }
  }

  @Test
  void anEventNobodySubscribedToIsNotPosted() throws Exception {
    try (WebhookEndpoint endpoint = WebhookEndpoint.start()) {
      fanout.ok("notify", "add", "--url", endpoint.url(), "--events", "copy.done,verify.failed");
      fanout.ok("import", "--table", "sales.orders");
      fanout.ok("verify", "--table", "sales.orders");

      assertThat(endpoint.await(p -> true, 1, Duration.ofSeconds(1))).isEmpty();
      assertThat(fanout.ok("notify", "list")).contains("copy.done,verify.failed").contains("undelivered 0");
    }
  }

  @Test
  void anEventWaitsWhileTheEndpointIsDownAndTheNextCommandDeliversItOnce() throws Exception {
    int port = WebhookEndpoint.freePort();
    fanout.ok("notify", "add", "--url", "http://127.0.0.1:" + port + "/hook", "--events", "import.done");

    assertThat(fanout.ok("import", "--table", "sales.orders")).contains("loaded 500 rows");
    assertThat(fanout.ok("notify", "list")).contains("undelivered 1");

    try (WebhookEndpoint endpoint = WebhookEndpoint.startOn(port)) {
      addOrders(501, 530);
      fanout.ok("import", "--table", "sales.orders");

      List<WebhookEndpoint.Received> posts = endpoint.await(p -> true, 3, Duration.ofSeconds(2));
      assertThat(posts).extracting(p -> p.json().get("rows").asLong()).containsExactly(500L, 30L);
      assertThat(posts).extracting(WebhookEndpoint.Received::event).containsOnly("import.done");
      assertThat(fanout.ok("notify", "list")).contains("undelivered 0");
    }
  }

  @Test
  void theServerDeliversWhatWaitedWhileTheEndpointWasDownExactlyOnce() throws Exception {
    int port = WebhookEndpoint.freePort();
    fanout.ok("notify", "add", "--url", "http://127.0.0.1:" + port + "/hook", "--events", "import.done");
    fanout.ok("import", "--table", "sales.orders");
    assertThat(fanout.ok("notify", "list")).contains("undelivered 1");

    try (ServerProcess server = ServerProcess.start(fanout.home(), tmp.resolve("logs"), "--poll", "200ms");
        WebhookEndpoint endpoint = WebhookEndpoint.startOn(port)) {
      assertThat(endpoint.await(p -> true, 1, Duration.ofSeconds(30))).hasSize(1);
      // a few more polls: nothing is posted twice
      Thread.sleep(2000);
      assertThat(endpoint.received()).hasSize(1);
      assertThat(endpoint.received().get(0).json().get("rows").asLong()).isEqualTo(500);
      assertThat(fanout.ok("notify", "list")).contains("undelivered 0");
      assertThat(server.stop()).isEqualTo(143);
    }
  }

  @Test
  void aFailedImportPostsImportFailedWithTheError() throws Exception {
    try (WebhookEndpoint endpoint = WebhookEndpoint.start()) {
      fanout.ok("notify", "add", "--url", endpoint.url(), "--events", "import.failed,import.done");
      source.execute("DROP TABLE orders");

      Result failed = fanout.run("import", "--table", "sales.orders");
      assertThat(failed.code()).isEqualTo(1);

      List<WebhookEndpoint.Received> posts = endpoint.received();
      assertThat(posts).extracting(WebhookEndpoint.Received::event).containsExactly("import.failed");
      String error = posts.get(0).json().get("error").asText();
      assertThat(error).isNotBlank();
      assertThat(failed.err()).contains(error);
      assertThat(posts.get(0).json().get("table").asText()).isEqualTo("sales.orders");
    }
  }

  @Test
  void badNotifyAddInputsGiveOneSentenceAndChangeNothing() {
    assertRefused(1, "is not an http:// or https:// URL", "notify", "add", "--url", "ftp://user:pw0rd@example.com/x");
    assertRefused(1, "is not an http:// or https:// URL", "notify", "add", "--url", "not a url");
    assertRefused(1, "is not an http:// or https:// URL", "notify", "add", "--url", "http:///hook");
    assertRefused(1, "Unknown event 'copy.finished'", "notify", "add", "--url", "http://127.0.0.1:1/hook",
        "--events", "copy.done,copy.finished");
    assertRefused(1, "'stage.progress' cannot be subscribed to", "notify", "add", "--url", "http://127.0.0.1:1/hook",
        "--events", "stage.progress");
    assertRefused(2, "--url", "notify", "add", "--events", "copy.done");
    assertRefused(1, "There is no notification endpoint 7", "notify", "remove", "7");
    assertRefused(2, "abc", "notify", "remove", "abc");
    assertThat(fanout.ok("notify", "list")).isEmpty();
  }

  @Test
  void aUrlsCredentialsAreNeverPrinted() {
    String added = fanout.ok("notify", "add", "--url", "https://hook-user:pa55word@127.0.0.1:1/hook?token=t0ken&x=1");
    assertThat(added).contains("https://hook-user:****@127.0.0.1:1/hook?token=****&x=****")
        .doesNotContain("pa55word").doesNotContain("t0ken");
    assertThat(fanout.ok("notify", "list")).contains("hook-user:****@").doesNotContain("pa55word")
        .doesNotContain("t0ken");
    Result bad = fanout.run("notify", "add", "--url", "ftp://hook-user:pa55word@127.0.0.1/x?token=t0ken");
    assertThat(bad.err()).doesNotContain("pa55word").doesNotContain("t0ken");
    fanout.ok("notify", "remove", "1");
    assertThat(fanout.ok("notify", "list")).isEmpty();
  }

  private void assertRefused(int code, String sentence, String... args) {
    Result r = fanout.run(args);
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.err()).contains(sentence);
    assertThat(r.err().strip().lines()).as("one sentence: " + r.err()).hasSize(1);
  }
}
