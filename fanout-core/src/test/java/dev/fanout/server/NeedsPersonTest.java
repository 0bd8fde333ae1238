package dev.fanout.server;

import dev.fanout.replication.CopyJobReports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.replication.Backoff;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobState;
import dev.fanout.security.ApiTokens;
import dev.fanout.status.StatusReader;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy jobs that need a person: a failure no retry can mend flags the job at once, and a person can
 * retry or cancel it; a cancelled copy of an increment holds back the table's next increment until the
 * destination has had the whole table. Instance A (H2 metadata, H2 source) copies asynchronously to B.
 */
class NeedsPersonTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.H2, tmp);
    source.execute("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, ITEM VARCHAR(40))",
        "INSERT INTO ORDERS SELECT X, 'item ' || X FROM SYSTEM_RANGE(1, 100)");
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "ID");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b", "--transfer", "async");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private static ServerSettings fast() {
    return ServerSettings.builder().port(0).workers(2).poll(Duration.ofMillis(100)).lease(Duration.ofSeconds(5))
        .backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(200))).flagAfterAttempts(5)
        .grace(Duration.ofSeconds(5)).build();
  }

  private Instance openA() {
    return Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
  }

  private CopyJob onlyJob() {
    try (Instance i = openA()) {
      List<CopyJob> jobs = new CopyJobReports(i.transactions()).list(CopyJobFilter.all());
      assertThat(jobs).hasSize(1);
      return jobs.get(0);
    }
  }

  @Test
  void aJobWhoseImportIsGoneIsFlaggedAtOnceNotRetriedAndShowsWhy() throws Exception {
    a.ok("import", "--table", "sales.orders");
    CopyJob job = onlyJob();
    try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(tmp.resolve("a"))) {
      raw.update("DELETE FROM staged_imports WHERE import_id = '" + job.importId() + "'");
    }

    try (Instance instance = openA(); FanoutServer server = FanoutServer.start(instance, fast())) {
      awaitState(job.id(), CopyJobState.FLAGGED);
      Thread.sleep(1500); // many retry intervals: a retryable failure would have been tried again by now
      assertThat(onlyJob().attempts()).as("tried once, not retried").isEqualTo(1);

      String token = ApiTokens.read(a.home().resolve("api-token"));
      HttpResponse<String> shown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/api/jobs/" + job.id()))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(shown.body()).contains("\"state\":\"FLAGGED\"").contains("\"flagged\":true")
          .contains("\"kind\":\"IMPORT\"").contains("is not recorded here any more");
      assertThat(new ServerMetrics(new CopyJobReports(instance.transactions()), 5).scrape()).contains("fanout_copy_jobs_flagged 1.0");
      CopyJobReports reports = new CopyJobReports(instance.transactions());
      StatusReader reader = new StatusReader(instance);
      Instant now = Instant.now();
      assertThat(StatusPage.render(new StatusPage.View(server, false, reports.countsByState(), reader.read(5, now),
          reader.lagHistory(ApiServer.CHART_WINDOW, now), ApiServer.CHART_WINDOW, reports.list(CopyJobFilter.all()),
          "csrf-value")))
          .contains("data-state=\"FLAGGED\"").contains("<span class=\"badge\">flagged</span>")
          .contains("<form class=\"inline\" method=\"post\" action=\"/jobs/" + job.id() + "/retry\">");
    }

    String show = a.ok("jobs", "show", String.valueOf(job.id()));
    assertThat(show).contains("state:        FLAGGED (needs a person")
        .contains("Import " + job.importId() + " of sales.orders is not recorded here any more, so copy job "
            + job.id() + " has nothing to copy.")
        .contains(": FLAGGED (");
    assertThat(a.ok("jobs", "--state", "flagged")).contains(String.valueOf(job.id())).contains("FLAGGED");

    Result refused = a.run("import", "--table", "sales.orders");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("FLAGGED").contains("'fanout jobs cancel " + job.id() + "'");

    assertThat(a.ok("jobs", "retry", String.valueOf(job.id()))).contains("is due now");
    assertThat(onlyJob().state()).as("back in the queue").isEqualTo(CopyJobState.FAILED);
  }

  @Test
  void aCancelledCopyRefusesTheNextIncrementUntilAFullSyncHasReachedTheDestination() {
    a.ok("import", "--table", "sales.orders");
    long id = onlyJob().id();

    String cancelled = a.ok("jobs", "cancel", String.valueOf(id));
    assertThat(cancelled).contains("Copy job " + id + " (import ").contains("is cancelled.");
    assertThat(a.ok("jobs", "show", String.valueOf(id))).contains("state:        CANCELLED")
        .contains("cancelled by: " + System.getProperty("user.name") + "@");
    assertThat(a.ok("jobs", "--state", "cancelled")).contains("cancelled by ");

    source.execute("INSERT INTO ORDERS SELECT X, 'item ' || X FROM SYSTEM_RANGE(101, 150)");
    Result refused = a.run("import", "--table", "sales.orders");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("Incremental import of sales.orders refused: copy job " + id)
        .contains("to instance b was cancelled")
        .contains("run 'fanout sync --full --table sales.orders --to b' or re-import the table there (a full import).")
        .doesNotContain("\n" + "fanout:");

    a.ok("sync", "--full", "--table", "sales.orders", "--to", "b");
    assertThat(a.ok("import", "--table", "sales.orders")).contains("loaded 50 rows");
  }

  @Test
  void jobCommandsRefuseBadIdsAndStatesInOneSentence() {
    a.ok("import", "--table", "sales.orders");
    long id = onlyJob().id();
    a.ok("jobs", "cancel", String.valueOf(id));

    Result again = a.run("jobs", "cancel", String.valueOf(id));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err().trim()).isEqualTo(
        "fanout: Copy job " + id + " is CANCELLED; only a pending job can be cancelled.");
    Result retry = a.run("jobs", "retry", String.valueOf(id));
    assertThat(retry.code()).isEqualTo(1);
    assertThat(retry.err().trim()).isEqualTo(
        "fanout: Copy job " + id + " is CANCELLED; only a pending job can be retried.");
    Result unknown = a.run("jobs", "cancel", "999999");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err().trim()).isEqualTo("fanout: Unknown copy job 999999; 'fanout jobs' lists them.");
    Result notANumber = a.run("jobs", "cancel", "seven");
    assertThat(notANumber.code()).isEqualTo(2);
    assertThat(notANumber.err()).contains("seven").hasLineCount(1);
    Result badState = a.run("jobs", "--state", "asleep");
    assertThat(badState.code()).isEqualTo(1);
    assertThat(badState.err()).contains("Unknown job state 'asleep'").contains("FLAGGED").contains("CANCELLED");
  }

  private void awaitState(long id, CopyJobState state) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    CopyJob job = onlyJob();
    while (job.state() != state) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("job " + id + " is " + job.state() + "/" + job.attempts() + ", not " + state + ": "
            + job.lastError());
      }
      Thread.sleep(100);
      job = onlyJob();
    }
  }
}
