package dev.fanout.server;

import dev.fanout.replication.CopyJobReports;

import dev.fanout.replication.CopyJobQueue;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobRun;
import dev.fanout.replication.CopyJobRunner;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.TableLag;
import dev.fanout.security.ApiTokens;
import dev.fanout.status.StatusReader;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import dev.fanout.util.DaemonThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP API, its Prometheus metrics and its status page, on the JDK's HTTP server. The API
 * and the metrics need a valid API token ({@code Authorization: Bearer <token>}); the status page's
 * pages need a session, opened by typing the token into its login form and held in an HttpOnly,
 * SameSite=Strict cookie. A token is never taken from a URL. Without either nothing is read or done.
 * API errors are one JSON sentence, {@code {"error": "..."}}, page errors one sentence of HTML; never a
 * stack trace.
 */
public final class ApiServer {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final int THREADS = 4;
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 10_000;
  private static final Pattern JOB = Pattern.compile("/api/jobs/(\\d{1,18})");
  private static final Pattern RETRY = Pattern.compile("/api/jobs/(\\d{1,18})/retry");
  private static final Pattern CANCEL = Pattern.compile("/api/jobs/(\\d{1,18})/cancel");
  private static final Pattern TABLE_PAGE = Pattern.compile("/tables/([^/]{1,300})");
  private static final Pattern RETRY_PAGE = Pattern.compile("/jobs/(\\d{1,18})/retry");
  private static final String COOKIE = "fanout_session";
  /** A login or a retry form is a few hundred bytes; nothing larger is read. */
  private static final int MAX_FORM_BYTES = 8192;
  /** The status page's chart covers this much time. */
  static final Duration CHART_WINDOW = Duration.ofHours(6);
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Instance instance;
  private final ServerStatus status;
  private final ServerMetrics metrics;
  private final String bind;
  private final int requestedPort;
  private final SSLContext tls;
  private final Sessions sessions = new Sessions();
  private HttpServer http;
  private ExecutorService executor;
  private int boundPort = -1;
  private java.net.InetAddress boundAddress;

  /** Plain HTTP on the loopback address. */
  public ApiServer(Instance instance, ServerStatus status, ServerMetrics metrics, int port) {
    this(instance, status, metrics, ServerSettings.LOOPBACK, port, null);
  }

  /** On {@code bind}'s address; HTTPS with {@code tls}'s key and certificate, plain HTTP if it is null. */
  public ApiServer(Instance instance, ServerStatus status, ServerMetrics metrics, String bind, int port,
      SSLContext tls) {
    this.instance = instance;
    this.status = status;
    this.metrics = metrics;
    this.bind = bind;
    this.requestedPort = port;
    this.tls = tls;
  }

  /** Binds the address and port (0: any free one) and starts answering; fails at once if the port is taken. */
  public synchronized void start() {
    InetSocketAddress address = new InetSocketAddress(bind, requestedPort);
    if (address.isUnresolved()) {
      throw new FanoutException("Cannot listen on '" + bind + "': it is not an address of this host; give one"
          + " with --bind (127.0.0.1 for this host only, 0.0.0.0 for every interface).");
    }
    try {
      http = tls == null ? HttpServer.create(address, 0) : https(address);
    } catch (IOException e) {
      throw new FanoutException("Cannot listen on " + bind + " port " + requestedPort + " for the server's API: "
          + e.getMessage() + "; choose another with --port or --bind.", e);
    }
    executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("fanout-api"));
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
    boundPort = http.getAddress().getPort();
    boundAddress = http.getAddress().getAddress();
  }

  private HttpServer https(InetSocketAddress address) throws IOException {
    HttpsServer server = HttpsServer.create(address, 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return server;
  }

  /** Where it answers, such as {@code https://127.0.0.1:8421}. */
  public synchronized String url() {
    String host = boundAddress.getHostAddress();
    return (tls == null ? "http" : "https") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** Whether it listens on a loopback address only, so no other host can reach it. */
  public synchronized boolean loopbackOnly() {
    return boundAddress.isLoopbackAddress();
  }

  /** The port it listens (or listened) on: the one chosen when started with port 0. */
  public synchronized int port() {
    if (boundPort < 0) {
      throw new IllegalStateException("the API server was never started");
    }
    return boundPort;
  }

  /** Stops listening; requests under way get a second to finish. */
  public synchronized void stop() {
    if (http != null) {
      http.stop(1);
      executor.shutdownNow();
      http = null;
    }
  }

  /** What a handler answers, with any extra headers; a refusal is thrown as an {@link HttpError} instead. */
  private record Response(int status, String contentType, String body, Map<String, String> headers) {
    Response(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }
  }

  /** A refusal with its HTTP status and the one sentence the client gets (as HTML on a page). */
  private static final class HttpError extends RuntimeException {
    final int status;
    final boolean page;

    HttpError(int status, String message) {
      this(status, message, false);
    }

    HttpError(int status, String message, boolean page) {
      super(message, null, false, false);
      this.status = status;
      this.page = page;
    }
  }

  private void handle(HttpExchange exchange) {
    Response response;
    try {
      // only the page's forms take a body, read once the route is known and bounded in size
      response = route(exchange);
    } catch (HttpError e) {
      response = e.page ? new Response(e.status, HTML, Html.message(e.status == 404 ? "Not found" : "Refused",
          e.getMessage())) : error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("The API failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
      response = error(500, "The server failed to answer this request; its log has the details.");
    }
    send(exchange, response);
  }

  private Response route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getPath();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String method = exchange.getRequestMethod();
    if (isPage(path)) {
      return page(exchange, path, method);
    }
    // the token first, for every other path: a client without one learns nothing, not even which paths exist
    authenticate(exchange);
    Matcher job = JOB.matcher(path);
    Matcher retry = RETRY.matcher(path);
    Matcher cancel = CANCEL.matcher(path);
    if (path.equals("/metrics")) {
      return only("GET", method, () -> new Response(200, ServerMetrics.CONTENT_TYPE, metrics.scrape()));
    } else if (path.equals("/api/health")) {
      return only("GET", method, () -> json(health()));
    } else if (path.equals("/api/jobs")) {
      return only("GET", method, () -> json(jobs(query)));
    } else if (job.matches()) {
      return only("GET", method, () -> json(job(Long.parseLong(job.group(1)))));
    } else if (retry.matches()) {
      return only("POST", method, () -> json(retry(Long.parseLong(retry.group(1)))));
    } else if (cancel.matches()) {
      String client = "API client at " + exchange.getRemoteAddress().getAddress().getHostAddress();
      return only("POST", method, () -> json(cancel(Long.parseLong(cancel.group(1)), client)));
    } else if (path.equals("/api/lag")) {
      return only("GET", method, () -> json(new CopyJobReports(instance.transactions()).lag().stream().map(LagJson::of).toList()));
    } else if (path.equals("/api/pause")) {
      return only("POST", method, () -> json(pause(true)));
    } else if (path.equals("/api/resume")) {
      return only("POST", method, () -> json(pause(false)));
    }
    throw new HttpError(404, "There is no " + path + " here; the API is under /api/ (health, jobs, lag, pause,"
        + " resume), with /metrics and the status page at /.");
  }

  private static boolean isPage(String path) {
    return path.equals("/") || path.equals("/login") || path.equals("/logout") || path.startsWith("/tables/")
        || RETRY_PAGE.matcher(path).matches();
  }

  /**
   * The status page's routes. Without a session each one shows the login form; a form that changes
   * something must come from this server's own page: its Origin (when the browser sends one) names this
   * host, and it carries the session's CSRF value.
   */
  private Response page(HttpExchange exchange, String path, String method) {
    Instant now = Instant.now();
    if (path.equals("/login")) {
      return pageOnly("POST", method, () -> login(exchange, now));
    }
    Optional<Sessions.Session> session = session(exchange, now);
    if (session.isEmpty()) {
      // a GET of the page is how a person arrives: the form, not a refusal
      return new Response(path.equals("/") && method.equals("GET") ? 200 : 401, HTML, LoginPage.render(null));
    }
    Sessions.Session s = session.get();
    Matcher table = TABLE_PAGE.matcher(path);
    Matcher retry = RETRY_PAGE.matcher(path);
    if (path.equals("/")) {
      return pageOnly("GET", method, () -> html(statusPage(s.csrf(), now)));
    } else if (path.equals("/logout")) {
      return pageOnly("POST", method, () -> {
        form(exchange, s);
        sessions.close(s.id());
        return redirect("/", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
      });
    } else if (table.matches()) {
      return pageOnly("GET", method, () -> html(tablePage(table.group(1), s.csrf(), now)));
    } else if (retry.matches()) {
      return pageOnly("POST", method, () -> {
        Map<String, String> form = form(exchange, s);
        long id = Long.parseLong(retry.group(1));
        pageInput(() -> new CopyJobReports(instance.transactions()).require(id), 404);
        CopyJob job = pageInput(() -> new CopyJobQueue(instance.transactions()).retryNow(id), 409);
        status.wake();
        LOG.info("Copy job {} ({} to {}) retried from the status page", id, job.describe(), job.destination());
        return redirect(back(form.get("back")), null);
      });
    }
    throw new HttpError(404, "There is no page " + path + " here; the status page is at /.", true);
  }

  private Response login(HttpExchange exchange, Instant now) {
    sameOrigin(exchange);
    String token = query(readForm(exchange)).get("token");
    ApiTokens.Check check = instance.apiTokens().check(token == null ? null : token.trim());
    if (check != ApiTokens.Check.VALID) {
      return new Response(401, HTML, LoginPage.render(refusal(check, true)));
    }
    Sessions.Session s = sessions.open(token.trim(), now);
    LOG.info("Status page session opened from {}", exchange.getRemoteAddress().getAddress().getHostAddress());
    // under TLS the browser sends the session id over HTTPS only
    return redirect("/", COOKIE + "=" + s.id() + "; Path=/; Max-Age=" + Sessions.MAX_AGE.toSeconds()
        + "; HttpOnly; SameSite=Strict" + (tls == null ? "" : "; Secure"));
  }

  /** The session named by the request's cookie, while it lasts and its token stays valid. */
  private Optional<Sessions.Session> session(HttpExchange exchange, Instant now) {
    Optional<Sessions.Session> s = sessions.find(cookie(exchange, COOKIE), now);
    if (s.isPresent() && instance.apiTokens().check(s.get().token()) != ApiTokens.Check.VALID) {
      sessions.close(s.get().id());
      return Optional.empty();
    }
    return s;
  }

  /** Reads a page form's fields after checking that it was posted by this server's own page. */
  private static Map<String, String> form(HttpExchange exchange, Sessions.Session session) {
    sameOrigin(exchange);
    Map<String, String> form = query(readForm(exchange));
    if (!java.security.MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
        form.getOrDefault("csrf", "").getBytes(StandardCharsets.UTF_8))) {
      throw new HttpError(403, "This form did not come from this server's status page; reload the page and try"
          + " again.", true);
    }
    return form;
  }

  /** A browser names the page a form was posted from; it must be this server (same host and port). */
  private static void sameOrigin(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null || origin.equals("null")) {
      origin = exchange.getRequestHeaders().getFirst("Referer");
    }
    if (origin == null || host == null) {
      return; // not a browser, or one that names nothing: the CSRF value and SameSite cookie still hold
    }
    try {
      URI uri = URI.create(origin);
      String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      if (host.equalsIgnoreCase(authority)) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw new HttpError(403, "This form was posted from another site (" + origin + "); use the status page itself.",
        true);
  }

  private static String readForm(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
      if (body.length > MAX_FORM_BYTES) {
        throw new HttpError(413, "This form is larger than the status page's forms ever are.", true);
      }
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cookie(HttpExchange exchange, String name) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return pair.substring(eq + 1).trim();
        }
      }
    }
    return null;
  }

  /** Where a retry returns to: the status page or a table's page, never elsewhere. */
  private static String back(String back) {
    return back != null && (back.equals("/") || TABLE_PAGE.matcher(back).matches()) ? back : "/";
  }

  private static Response redirect(String location, String cookie) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location);
    if (cookie != null) {
      headers.put("Set-Cookie", cookie);
    }
    return new Response(303, HTML, "", headers);
  }

  private void authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    // a header that is not "Bearer <token>" is a malformed token, not a missing one
    String token = header == null ? null
        : header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "?";
    ApiTokens.Check check = instance.apiTokens().check(token);
    if (check != ApiTokens.Check.VALID) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"fanout\"");
      throw new HttpError(401, refusal(check, false));
    }
  }

  /** Why a token was refused, and what to do, as an API client ({@code form} false) or a person at the form. */
  private static String refusal(ApiTokens.Check check, boolean form) {
    return switch (check) {
      case VALID -> throw new IllegalArgumentException("a valid token is not refused");
      case MISSING -> "The API token is missing; " + (form ? "paste it into the form"
          : "send it as 'Authorization: Bearer <token>'") + " ('fanout token create' writes one to a file).";
      case MALFORMED -> form ? "The API token is malformed; paste the whole contents of the file 'fanout token create'"
          + " wrote." : "The API token is malformed; send the whole contents of the file 'fanout token create' wrote,"
          + " as 'Authorization: Bearer <token>'.";
      case UNKNOWN -> "The API token is unknown to this instance; make one with 'fanout token create'.";
      case EXPIRED -> "The API token has expired; make a new one with 'fanout token create'.";
    };
  }

  private static Response pageOnly(String allowed, String method, Supplier<Response> handler) {
    if (!allowed.equals(method)) {
      throw new HttpError(405, "Use " + allowed + " here, not " + method + ".", true);
    }
    return handler.get();
  }

  private static Response only(String allowed, String method, Supplier<Response> handler) {
    if (!allowed.equals(method)) {
      throw new HttpError(405, "Use " + allowed + " here, not " + method + ".");
    }
    return handler.get();
  }

  private Map<String, Object> health() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "ok");
    out.put("owner", status.owner());
    out.put("startedAt", status.startedAt());
    out.put("workers", status.workers());
    out.put("running", status.running());
    out.put("paused", instance.configuration().copiesPaused());
    out.put("schemaVersion", MetadataDatabase.SCHEMA_VERSION);
    return out;
  }

  private List<JobJson> jobs(Map<String, String> query) {
    CopyJobFilter filter = userInput(() -> new CopyJobFilter(
        blank(query.get("state")) ? null : CopyJobState.of(query.get("state")),
        blank(query.get("table")) ? null : TableName.parse(query.get("table")),
        blank(query.get("destination")) ? null : query.get("destination"),
        limit(query.get("limit"))), 400);
    return new CopyJobReports(instance.transactions()).list(filter).stream().map(j -> JobJson.of(j, status.flagAfterAttempts())).toList();
  }

  private JobDetailJson job(long id) {
    CopyJob job = userInput(() -> new CopyJobReports(instance.transactions()).require(id), 404);
    List<RunJson> runs = new CopyJobReports(instance.transactions()).runs(id).stream().map(RunJson::of).toList();
    return new JobDetailJson(JobJson.of(job, status.flagAfterAttempts()), runs);
  }

  private JobJson retry(long id) {
    userInput(() -> new CopyJobReports(instance.transactions()).require(id), 404);
    // a done, running or waiting job is refused with the repository's sentence saying why
    CopyJob job = userInput(() -> new CopyJobQueue(instance.transactions()).retryNow(id), 409);
    status.wake();
    return JobJson.of(job, status.flagAfterAttempts());
  }

  private JobJson cancel(long id, String client) {
    userInput(() -> new CopyJobReports(instance.transactions()).require(id), 404);
    // a running or finished job is refused with the queue's sentence saying why
    CopyJob job = userInput(() -> new CopyJobQueue(instance.transactions()).cancel(id, client), 409);
    LOG.info("Copy job {} ({} to {}) cancelled by {}", id, job.describe(), job.destination(), client);
    CopyJobRunner.cleanUp(instance, job);
    return JobJson.of(job, status.flagAfterAttempts());
  }

  private Map<String, Object> pause(boolean paused) {
    instance.configuration().pauseCopies(paused);
    if (!paused) {
      status.wake();
    }
    LOG.info("Copy queue {} through the API", paused ? "paused" : "resumed");
    return Map.of("paused", paused);
  }

  private String statusPage(String csrf, Instant now) {
    StatusReader reader = new StatusReader(instance);
    CopyJobReports reports = new CopyJobReports(instance.transactions());
    return StatusPage.render(new StatusPage.View(status, instance.configuration().copiesPaused(),
        reports.countsByState(), reader.read(status.flagAfterAttempts(), now), reader.lagHistory(CHART_WINDOW, now),
        CHART_WINDOW, reports.list(new CopyJobFilter(null, null, null, DEFAULT_LIMIT)), csrf));
  }

  private String tablePage(String name, String csrf, Instant now) {
    TableName table = pageInput(() -> TableName.parse(URLDecoder.decode(name, StandardCharsets.UTF_8)), 404);
    StatusReader reader = new StatusReader(instance);
    return TablePage.render(status, reader.table(table), reader.read(status.flagAfterAttempts(), now), csrf);
  }

  /** As {@link #userInput}, answered with a page. */
  private static <T> T pageInput(Supplier<T> step, int status) {
    try {
      return step.get();
    } catch (FanoutException e) {
      if (e.getCause() != null) {
        throw e;
      }
      throw new HttpError(status, e.getMessage(), true);
    }
  }

  /**
   * Runs a step whose {@link FanoutException} is the client's doing (a bad filter, an unknown or busy
   * job) and answers it with {@code status}. A FanoutException with a cause is the database failing,
   * not the client: that one stays a 500.
   */
  private static <T> T userInput(Supplier<T> step, int status) {
    try {
      return step.get();
    } catch (FanoutException e) {
      if (e.getCause() != null) {
        throw e;
      }
      throw new HttpError(status, e.getMessage());
    }
  }

  private static int limit(String text) {
    if (blank(text)) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new FanoutException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + text + "'.");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static Response json(Object body) {
    try {
      return new Response(200, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String HTML = "text/html; charset=utf-8";

  private static Response html(String page) {
    return new Response(200, HTML, page);
  }

  private static Response error(int status, String message) {
    try {
      return new Response(status, "application/json; charset=utf-8", JSON.writeValueAsString(Map.of("error", message)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpExchange exchange, Response response) {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", response.contentType());
    response.headers().forEach(headers::set);
    // pages show the queue: keep them out of caches; a Referer only ever goes back to this server (its forms
    // are checked by their Origin)
    headers.set("Cache-Control", "no-store");
    headers.set("Referrer-Policy", "same-origin");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
        + " frame-ancestors 'none'; base-uri 'none'");
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      out.write(body);
    } catch (IOException e) {
      LOG.debug("The client of {} went away before the answer", exchange.getRequestURI().getPath(), e);
    } finally {
      exchange.close();
    }
  }

  /** A copy job as the API shows it: no paths or lease internals beyond who holds it. */
  record JobJson(long id, CopyJob.Kind kind, String table, String destination, String importId, long seq,
      CopyJobState state, int attempts, String lastError, Instant nextAttempt, String leaseOwner, long bytesCopied,
      Instant created, Instant started, Instant finished, boolean flagged, String cancelledBy) {
    static JobJson of(CopyJob j, int flagAfterAttempts) {
      // only a job waiting for its next try has a meaningful next attempt time
      boolean due = j.state() == CopyJobState.NEW || j.state() == CopyJobState.FAILED;
      return new JobJson(j.id(), j.kind(), j.table().toString(), j.destination(), j.importId(), j.seq(), j.state(),
          j.attempts(), j.lastError(), due ? Instant.ofEpochMilli(j.nextAttemptMillis()) : null, j.leaseOwner(),
          j.bytesCopied(), j.created(), j.started(), j.finished(), j.flagged(flagAfterAttempts), j.cancelledBy());
    }
  }

  record RunJson(String leaseOwner, Instant started, Instant ended, String outcome, String error, Long bytesCopied) {
    static RunJson of(CopyJobRun r) {
      return new RunJson(r.leaseOwner(), r.started(), r.ended(), r.outcome(), r.error(), r.bytesCopied());
    }
  }

  record JobDetailJson(@JsonUnwrapped JobJson job, List<RunJson> runs) {}

  record LagJson(String table, String destination, int pendingJobs, int failingJobs, Instant oldestPending,
      double lagSeconds, Instant copyFinished) {
    static LagJson of(TableLag l) {
      return new LagJson(l.table().toString(), l.destination(), l.pendingJobs(), l.failingJobs(), l.oldestPending(),
          l.lagSeconds(), l.copyFinished());
    }
  }
}
