package dev.fanout.server;

import dev.fanout.replication.CopyJobReports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.events.Event;
import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.replication.CopyJobState;
import dev.fanout.security.ApiTokens;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's HTTP API over real HTTP, on an instance A that copies asynchronously to B. No workers run:
 * the queue is set up by imports, and by taking jobs the way a worker does.
 */
class ApiServerTest {
  @TempDir static Path tmp;
  private static Queue queue;
  private static ApiServer api;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    queue = new Queue(tmp);
    api = queue.startApi();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.stop();
    }
    if (queue != null) {
      queue.close();
    }
  }

  @Test
  void requestsWithoutAValidTokenAreRefusedAndChangeNothing() throws Exception {
    String unknown = "fo1_" + "A".repeat(43);
    int wakes = queue.status.wakes.get();
    assertRefused(get("/api/jobs", null), "missing");
    assertRefused(get("/api/jobs", "not-a-token"), "malformed");
    assertRefused(get("/api/jobs", unknown), "unknown");
    assertRefused(get("/api/jobs", queue.expiredToken), "expired");
    assertRefused(send("GET", "/api/jobs", null, "Basic dXNlcjpwdw=="), "malformed");

    assertRefused(post("/api/pause", null), "missing");
    assertRefused(post("/api/pause", "not-a-token"), "malformed");
    assertRefused(post("/api/pause", unknown), "unknown");
    assertRefused(post("/api/pause", queue.expiredToken), "expired");
    assertRefused(post("/api/jobs/" + queue.failedJob + "/retry", queue.expiredToken), "expired");
    assertRefused(get("/metrics", null), "missing");
    assertRefused(get("/no/such/path", null), "missing");
    try (Instance a = queue.openA()) {
      assertThat(a.configuration().copiesPaused()).isFalse();
    }
    assertThat(queue.status.wakes.get()).isEqualTo(wakes);
  }

  @Test
  void aTokenInTheUrlOpensNothing() throws Exception {
    HttpResponse<String> page = send("GET", "/?token=" + queue.token, null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"login\"").doesNotContain("id=\"jobs\"");
    assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();

    assertRefused(send("GET", "/api/jobs?token=" + queue.token, null, null), "missing");
    assertRefused(send("GET", "/metrics?token=" + queue.token, null, null), "missing");
  }

  @Test
  void theLoginFormOpensASessionWhoseCookieIsNotTheToken() throws Exception {
    HttpResponse<String> login = postForm("/login", "token=" + queue.token, null);
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).startsWith("fanout_session=").contains("; Path=/").contains("; HttpOnly")
        .contains("; SameSite=Strict").contains("; Max-Age=43200").doesNotContain(queue.token);

    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/"))
        .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none';"
        + " style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    assertThat(page.body()).contains("id=\"jobs\"").contains("data-job-id=\"" + queue.newJob + "\"");
    // self-contained: no scripts, nothing fetched from elsewhere; links only within this server
    assertThat(page.body()).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=\"http")
        .doesNotContain(queue.token);
  }

  @Test
  void aRetryFormWithoutTheSessionsCsrfValueOrFromAnotherSiteIsRefused() throws Exception {
    int wakes = queue.status.wakes.get();
    String cookie = postForm("/login", "token=" + queue.token, null).headers().firstValue("Set-Cookie").orElseThrow();
    String session = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> noCsrf = postForm("/jobs/" + queue.failedJob + "/retry", "csrf=guess", session);
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(noCsrf.body()).contains("did not come from this server&#39;s status page");
    HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + api.port() + "/jobs/" + queue.failedJob + "/retry"))
        .header("Cookie", session).header("Origin", "http://evil.example")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(elsewhere.statusCode()).isEqualTo(403);
    assertThat(elsewhere.body()).contains("posted from another site (http://evil.example)");
    HttpResponse<String> noSession = postForm("/jobs/" + queue.failedJob + "/retry", "csrf=x", null);
    assertThat(noSession.statusCode()).isEqualTo(401);
    assertThat(noSession.body()).contains("id=\"login\"");
    assertThat(queue.status.wakes.get()).as("no retry woke the workers").isEqualTo(wakes);
  }

  @Test
  void healthNamesTheServerAndTheSchema() throws Exception {
    JsonNode health = ok(get("/api/health", queue.token));
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("owner").asText()).isEqualTo("test-server@localhost");
    assertThat(Instant.parse(health.get("startedAt").asText())).isEqualTo(queue.status.startedAt());
    assertThat(health.get("workers").asInt()).isEqualTo(2);
    assertThat(health.get("running").asInt()).isZero();
    assertThat(health.get("paused").asBoolean()).isFalse();
    assertThat(health.get("schemaVersion").asInt()).isEqualTo(MetadataDatabase.SCHEMA_VERSION);
  }

  @Test
  void jobsAreListedNewestFirstAndFilteredByStateTableAndDestination() throws Exception {
    assertThat(ids(ok(get("/api/jobs", queue.token)))).containsExactly(queue.newJob, queue.failedJob, queue.doneJob);
    assertThat(ids(ok(get("/api/jobs?state=new", queue.token)))).containsExactly(queue.newJob);
    assertThat(ids(ok(get("/api/jobs?state=DONE", queue.token)))).containsExactly(queue.doneJob);
    assertThat(ids(ok(get("/api/jobs?table=sales.orders", queue.token)))).containsExactly(queue.newJob, queue.doneJob);
    assertThat(ids(ok(get("/api/jobs?table=sales.customers&state=FAILED", queue.token))))
        .containsExactly(queue.failedJob);
    assertThat(ids(ok(get("/api/jobs?destination=b&limit=2", queue.token)))).containsExactly(queue.newJob, queue.failedJob);
    assertThat(ids(ok(get("/api/jobs?destination=nowhere", queue.token)))).isEmpty();

    JsonNode failed = ok(get("/api/jobs?state=FAILED", queue.token)).get(0);
    assertThat(failed.get("table").asText()).isEqualTo("sales.customers");
    assertThat(failed.get("destination").asText()).isEqualTo("b");
    assertThat(failed.get("state").asText()).isEqualTo("FAILED");
    assertThat(failed.get("attempts").asInt()).isEqualTo(1);
    assertThat(failed.get("lastError").asText()).isEqualTo(Queue.ERROR);
    assertThat(failed.get("flagged").asBoolean()).isTrue();
    assertThat(failed.get("nextAttempt").isTextual()).isTrue();
    assertThat(failed.get("leaseOwner").isNull()).isTrue();
    JsonNode done = ok(get("/api/jobs?state=DONE", queue.token)).get(0);
    assertThat(done.get("bytesCopied").asLong()).isEqualTo(4096);
    assertThat(done.get("nextAttempt").isNull()).isTrue();
    assertThat(Instant.parse(done.get("finished").asText())).isNotNull();
    assertThat(done.get("flagged").asBoolean()).isFalse();
  }

  @Test
  void badFiltersAreRefusedWithTheReason() throws Exception {
    assertError(get("/api/jobs?state=LOST", queue.token), 400, "Unknown job state 'LOST'");
    assertError(get("/api/jobs?table=orders", queue.token), 400, "is not of the form db.table");
    assertError(get("/api/jobs?limit=lots", queue.token), 400, "limit must be a whole number");
  }

  @Test
  void oneJobComesWithItsRuns() throws Exception {
    JsonNode job = ok(get("/api/jobs/" + queue.failedJob, queue.token));
    assertThat(job.get("id").asLong()).isEqualTo(queue.failedJob);
    assertThat(job.get("flagged").asBoolean()).isTrue();
    assertThat(job.get("runs")).hasSize(1);
    assertThat(job.get("runs").get(0).get("outcome").asText()).isEqualTo("FAILED");
    assertThat(job.get("runs").get(0).get("leaseOwner").asText()).isEqualTo("test-worker");
    assertThat(job.get("runs").get(0).get("error").asText()).isEqualTo(Queue.ERROR);

    assertError(get("/api/jobs/999999", queue.token), 404, "Unknown copy job 999999");
  }

  @Test
  void retryMakesAFailedJobDueNowAndWakesTheWorkers() throws Exception {
    int wakes = queue.status.wakes.get();
    JsonNode job = ok(post("/api/jobs/" + queue.failedJob + "/retry", queue.token));
    assertThat(job.get("state").asText()).isEqualTo("FAILED");
    assertThat(Instant.parse(job.get("nextAttempt").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(queue.status.wakes.get()).isEqualTo(wakes + 1);
  }

  @Test
  void retryOfADoneOrUnknownJobIsRefused() throws Exception {
    assertError(post("/api/jobs/" + queue.doneJob + "/retry", queue.token), 409,
        "Copy job " + queue.doneJob + " is DONE; only a pending job can be retried.");
    assertError(post("/api/jobs/999999/retry", queue.token), 404, "Unknown copy job 999999");
  }

  @Test
  void cancelOfADoneOrUnknownJobIsRefusedAndWithoutATokenNothingIsCancelled() throws Exception {
    assertError(post("/api/jobs/" + queue.doneJob + "/cancel", queue.token), 409,
        "Copy job " + queue.doneJob + " is DONE; only a pending job can be cancelled.");
    assertError(post("/api/jobs/999999/cancel", queue.token), 404, "Unknown copy job 999999");
    assertError(get("/api/jobs/" + queue.newJob + "/cancel", queue.token), 405, "Use POST here, not GET.");
    assertRefused(post("/api/jobs/" + queue.newJob + "/cancel", queue.expiredToken), "expired");
    JsonNode job = ok(get("/api/jobs/" + queue.newJob, queue.token));
    assertThat(job.get("state").asText()).isEqualTo("NEW");
    assertThat(job.get("kind").asText()).isEqualTo("IMPORT");
  }

  @Test
  void pauseAndResumeSetTheSharedFlag() throws Exception {
    try {
      assertThat(ok(post("/api/pause", queue.token)).get("paused").asBoolean()).isTrue();
      try (Instance a = queue.openA()) {
        assertThat(a.configuration().copiesPaused()).isTrue();
      }
      assertThat(ok(get("/api/health", queue.token)).get("paused").asBoolean()).isTrue();
      int wakes = queue.status.wakes.get();
      assertThat(ok(post("/api/resume", queue.token)).get("paused").asBoolean()).isFalse();
      assertThat(queue.status.wakes.get()).isEqualTo(wakes + 1);
      try (Instance a = queue.openA()) {
        assertThat(a.configuration().copiesPaused()).isFalse();
      }
    } finally {
      try (Instance a = queue.openA()) {
        a.configuration().pauseCopies(false);
      }
    }
  }

  @Test
  void lagListsEachTableAndDestination() throws Exception {
    JsonNode lag = ok(get("/api/lag", queue.token));
    assertThat(lag).hasSize(2);
    JsonNode customers = lag.get(0);
    assertThat(customers.get("table").asText()).isEqualTo("sales.customers");
    assertThat(customers.get("destination").asText()).isEqualTo("b");
    assertThat(customers.get("pendingJobs").asInt()).isEqualTo(1);
    assertThat(customers.get("failingJobs").asInt()).isEqualTo(1);
    assertThat(customers.get("copyFinished").isNull()).isTrue();
    JsonNode orders = lag.get(1);
    assertThat(orders.get("table").asText()).isEqualTo("sales.orders");
    assertThat(orders.get("pendingJobs").asInt()).isEqualTo(1);
    assertThat(orders.get("failingJobs").asInt()).isZero();
    assertThat(orders.get("lagSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(Instant.parse(orders.get("oldestPending").asText())).isBefore(Instant.now());
    assertThat(Instant.parse(orders.get("copyFinished").asText())).isBefore(Instant.now());
  }

  @Test
  void metricsShowTheQueueFromTheDatabaseAndWhatThisServerCopied() throws Exception {
    queue.metrics.on(Event.of(Event.Kind.COPY, Event.Phase.DONE).withDestination("b").withBytes(1234));
    queue.metrics.on(Event.of(Event.Kind.COPY, Event.Phase.FAILED).withDestination("b").withError("down"));
    HttpResponse<String> response = get("/metrics", queue.token);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("fanout_copy_jobs{state=\"NEW\"} 1.0\n")
        .contains("fanout_copy_jobs{state=\"FAILED\"} 1.0\n")
        .contains("fanout_copy_jobs{state=\"DONE\"} 1.0\n")
        .contains("fanout_copy_jobs{state=\"RUNNING\"} 0.0\n")
        .contains("fanout_copy_jobs{state=\"SUPERSEDED\"} 0.0\n")
        .contains("fanout_copy_jobs{state=\"FLAGGED\"} 0.0\n")
        .contains("fanout_copy_jobs{state=\"CANCELLED\"} 0.0\n")
        .contains("fanout_copy_jobs_flagged 1.0\n")
        .contains("fanout_copy_lag_seconds{destination=\"b\",table=\"sales.orders\"}")
        .contains("fanout_copy_lag_seconds{destination=\"b\",table=\"sales.customers\"}")
        .contains("fanout_copy_bytes_total{destination=\"b\"} 1234.0\n")
        .contains("fanout_copy_jobs_done_total{destination=\"b\"} 1.0\n")
        .contains("fanout_copy_failures_total{destination=\"b\"} 1.0\n");
  }

  @Test
  void unknownPathsAndWrongMethodsGetAJsonError() throws Exception {
    assertError(get("/api/nothing", queue.token), 404, "There is no /api/nothing here");
    assertError(get("/api/jobs/abc", queue.token), 404, "There is no /api/jobs/abc here");
    assertError(get("/api/pause", queue.token), 405, "Use POST here, not GET.");
    assertError(post("/api/jobs", queue.token), 405, "Use GET here, not POST.");
    try (Instance a = queue.openA()) {
      assertThat(a.configuration().copiesPaused()).isFalse();
    }
  }

  @Test
  void noResponseCarriesATokenOrCredentials() throws Exception {
    // the status page itself is checked in theLoginFormOpensASessionWhoseCookieIsNotTheToken
    for (String path : List.of("/api/health", "/api/jobs", "/api/lag", "/api/jobs/" + queue.doneJob, "/metrics")) {
      String body = get(path, queue.token).body();
      assertThat(body).doesNotContain(queue.token).doesNotContain(queue.expiredToken).doesNotContainIgnoringCase("password");
    }
  }

  // --- helpers

  private static List<Long> ids(JsonNode jobs) {
    List<Long> out = new ArrayList<>();
    jobs.forEach(j -> out.add(j.get("id").asLong()));
    return out;
  }

  private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
    return send("GET", path, token, null);
  }

  private HttpResponse<String> postForm(String path, String body, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
    return send("POST", path, token, null);
  }

  private HttpResponse<String> send(String method, String path, String token, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    } else if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(response.body());
  }

  private static void assertRefused(HttpResponse<String> response, String why) throws IOException {
    assertError(response, 401, "The API token");
    assertThat(JSON.readTree(response.body()).get("error").asText()).contains(why);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"fanout\"");
  }

  private static void assertError(HttpResponse<String> response, int status, String sentence) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.get("error").asText()).contains(sentence).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** A server status with fixed answers that counts how often the workers were woken. */
  static final class TestStatus implements ServerStatus {
    final AtomicInteger wakes = new AtomicInteger();
    private final Instant startedAt = Instant.parse("2026-01-02T03:04:05Z");

    @Override
    public String owner() {
      return "test-server@localhost";
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public int workers() {
      return 2;
    }

    @Override
    public int running() {
      return 0;
    }

    @Override
    public int flagAfterAttempts() {
      return 1;
    }

    @Override
    public void wake() {
      wakes.incrementAndGet();
    }
  }

  /**
   * Instance A (H2 metadata, local directory) imports from an H2 source and copies asynchronously to B;
   * its queue holds one job of each kind a person looks at: a DONE copy and a NEW one of sales.orders,
   * and a FAILED (flagged) copy of sales.customers. No copy really runs: jobs are taken, finished and
   * failed through the queue as a worker would.
   */
  static final class Queue implements AutoCloseable {
    static final String ERROR = "Cannot write to <b>b</b> & retry: disk full";

    final TestDatabase source;
    final FanoutCli a;
    final TestStatus status = new TestStatus();
    final String token;
    final String expiredToken;
    final long doneJob;
    final long failedJob;
    final long newJob;
    ServerMetrics metrics;
    private Instance instance;

    Queue(Path tmp) {
      source = TestDatabase.create(Kind.H2, tmp);
      source.execute(
          "CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, ITEM VARCHAR(40), QTY INT)",
          "INSERT INTO ORDERS SELECT X, 'item ' || MOD(X, 13), MOD(X, 7) FROM SYSTEM_RANGE(1, 200)",
          "CREATE TABLE CUSTOMERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(40))",
          "INSERT INTO CUSTOMERS SELECT X, 'customer ' || X FROM SYSTEM_RANGE(1, 50)");
      a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
      FanoutCli b = new FanoutCli(tmp.resolve("b"));
      b.ok("init", "--cluster-name", "b", "--basedir", tmp.resolve("b/cluster").toString());
      a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
          "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
      a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders");
      a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.CUSTOMERS", "--target", "sales.customers");
      a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "async");

      a.ok("import", "--table", "sales.orders");
      doneJob = takeJob((jobs, job) -> jobs.complete(job.id(), "test-worker", 4096, Instant.now()));
      a.ok("import", "--table", "sales.customers");
      failedJob = takeJob((jobs, job) -> jobs.fail(job.id(), "test-worker", ERROR,
          Instant.now().plus(Duration.ofHours(1)).toEpochMilli()));
      a.ok("import", "--table", "sales.orders");

      instance = openA();
      List<CopyJob> pending = new CopyJobReports(instance.transactions()).list(new CopyJobFilter(
          CopyJobState.NEW, null, null, 10));
      assertThat(pending).hasSize(1);
      newJob = pending.get(0).id();
      instance.apiTokens().issue(Duration.ofDays(1), tmp.resolve("api-token"));
      instance.apiTokens().issue(Duration.ofSeconds(-1), tmp.resolve("expired-token"));
      token = ApiTokens.read(tmp.resolve("api-token"));
      expiredToken = ApiTokens.read(tmp.resolve("expired-token"));
    }

    /** Takes the one due job as a worker would, and ends its try with {@code outcome}. */
    private long takeJob(JobOutcome outcome) {
      try (Instance i = openA()) {
        CopyJob job = new CopyJobQueue(i.transactions()).claim("test-worker", Duration.ofMinutes(5), owner -> false).orElseThrow().job();
        assertThat(outcome.end(new CopyJobQueue(i.transactions()), job)).isTrue();
        return job.id();
      }
    }

    interface JobOutcome {
      boolean end(CopyJobQueue jobs, CopyJob job);
    }

    Instance openA() {
      return Instance.open(new FanoutHome(a.home()));
    }

    ApiServer startApi() {
      metrics = new ServerMetrics(new CopyJobReports(instance.transactions()), status.flagAfterAttempts());
      ApiServer server = new ApiServer(instance, status, metrics, 0);
      server.start();
      return server;
    }

    @Override
    public void close() {
      instance.close();
      source.close();
    }
  }
}
