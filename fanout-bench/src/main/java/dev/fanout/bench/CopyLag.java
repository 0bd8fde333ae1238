package dev.fanout.bench;

import dev.fanout.cli.Main;
import dev.fanout.metadata.Transactions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Asynchronous copy lag and drain (issue 4), with a real {@code fanout server} process (the launcher) and the
 * imports run one after the other in this JVM, as a scheduler's tasks would run them.
 *
 * <ol>
 *   <li>Lag: 100 full imports (10 tables of 1,000 rows, 10 rounds) with one server running all along; per job,
 *       {@code copy_jobs.finished} (the instant written to the remote's {@code copy_finished}) minus its
 *       import's {@code staged_imports.loaded}, split into the wait for a worker ({@code started − loaded}),
 *       the copy ({@code finished − started}) and the bookkeeping after it (remote transaction and the job's
 *       completion: the DONE run's {@code ended − finished}). Once with the default poll, once with 100 ms.
 *   <li>Drain: 100 imports × destinations B and C queued while no server runs, then a server with
 *       {@code --workers N} (default poll): from the server's process start to the last job's DONE.
 *   <li>Floor: {@code cp -r} of the same 200 copied import directories, one process per directory as a cron
 *       loop would run it, and one {@code cp -r} per destination naming all of them.
 * </ol>
 *
 * <p>A imports from MariaDB, with its metadata (and so its copy queue) on PostgreSQL, or on MariaDB with
 * {@code -Dmetadata=mariadb}; B and C are H2 instances; every cluster is a local directory.
 * Usage: WORK_DIR LAUNCHER [WORKERS...] (default 4 8). Needs MariaDB on 127.0.0.1:3306 (root, no password) and
 * PostgreSQL on 127.0.0.1:5432 (postgres, trust).
 */
public final class CopyLag {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final int TABLES = 10;
  private static final int ROUNDS = 10;

  private final Path work;
  private final String launcher;
  private final boolean mariadbMetadata = "mariadb".equals(System.getProperty("metadata", "postgres"));
  private final String name = "fanout_copylag_" + UUID.randomUUID().toString().substring(0, 8);
  private int servers;

  private CopyLag(Path work, String launcher) {
    this.work = work;
    this.launcher = launcher;
  }

  public static void main(String[] args) throws Exception {
    List<Integer> workers = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      workers.add(Integer.parseInt(args[i]));
    }
    new CopyLag(Path.of(args[0]), args[1]).run(workers.isEmpty() ? List.of(4, 8) : workers);
  }

  private void run(List<Integer> workers) throws Exception {
    Files.createDirectories(work);
    System.out.println("A's metadata on " + (mariadbMetadata ? "MariaDB" : "PostgreSQL") + ", B and C on H2;"
        + " source MariaDB; " + TABLES + " tables of 1,000 rows; work directory " + work);
    createDatabases();
    try {
      setUp();
      lag("500ms");
      lag("100ms");
      fanout("a", "copy-rule", "add", "--filter", "lag.*", "--destination", "c");
      for (int w : workers) {
        drain(w);
      }
    } finally {
      dropDatabases();
    }
  }

  private void createDatabases() throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      s.execute("USE " + name); // the seq_1_to_N tables need a current database
      for (int t = 0; t < TABLES; t++) {
        s.execute("CREATE TABLE " + name + ".t" + t + " (id BIGINT PRIMARY KEY, item VARCHAR(40), qty INT,"
            + " price DECIMAL(10,2), updated DATETIME)");
        s.execute("INSERT INTO " + name + ".t" + t + " SELECT seq, CONCAT('item ', seq), seq MOD 7, seq / 3,"
            + " '2026-01-01' + INTERVAL seq MINUTE FROM seq_1_to_1000");
      }
      if (mariadbMetadata) {
        s.execute("CREATE DATABASE " + name + "_meta");
      }
    }
    if (!mariadbMetadata) {
      try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + name);
      }
    }
  }

  private void dropDatabases() throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("DROP DATABASE IF EXISTS " + name + "_meta");
    }
    if (!mariadbMetadata) {
      try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      }
    }
  }

  private String metadataUrl() {
    return mariadbMetadata ? MARIADB + name + "_meta" : POSTGRES + "?currentSchema=" + name;
  }

  private Connection metadata() throws SQLException {
    return DriverManager.getConnection(metadataUrl(), mariadbMetadata ? "root" : "postgres", "");
  }

  private void setUp() {
    fanout("b", "init", "--cluster-name", "b");
    fanout("c", "init", "--cluster-name", "c");
    fanout("a", "init", "--metadata-url", metadataUrl(), "--metadata-user", mariadbMetadata ? "root" : "postgres",
        "--cluster-name", "a");
    fanout("a", "connection", "add", "src", "--url", MARIADB + name, "--user", "root");
    for (String remote : List.of("b", "c")) {
      fanout("a", "instance", "add", remote, "--db-url", "jdbc:h2:file:" + work.resolve(remote + "/metadata/fanout")
          + ";AUTO_SERVER=TRUE", "--fs", "file:///", "--basedir", work.resolve(remote + "/cluster").toString());
    }
    for (int t = 0; t < TABLES; t++) {
      fanout("a", "table", "add", "--connection", "src", "--source", name + ".t" + t, "--target", "lag.t" + t);
    }
    fanout("a", "copy-rule", "add", "--filter", "lag.*", "--destination", "b");
  }

  /** 100 imports with one server running all along; the lag of each of their jobs. */
  private void lag(String poll) throws Exception {
    long after = maxJobId();
    Process server = startServer("--poll", poll);
    long t0 = System.nanoTime();
    importAll();
    double importing = (System.nanoTime() - t0) / 1e9;
    awaitDone(after);
    double cpu = stop(server);
    List<Double> lag = new ArrayList<>();
    List<Double> wait = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    List<Double> after2 = new ArrayList<>();
    try (Connection c = metadata(); PreparedStatement ps = c.prepareStatement("SELECT i.loaded, j.started,"
        + " j.finished, r.ended FROM copy_jobs j JOIN staged_imports i ON i.import_id = j.import_id"
        + " JOIN copy_job_runs r ON r.job_id = j.job_id AND r.outcome = 'DONE' WHERE j.job_id > ?")) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant loaded = instant(rs, 1);
          Instant started = instant(rs, 2);
          Instant finished = instant(rs, 3);
          Instant ended = instant(rs, 4);
          lag.add(seconds(loaded, finished));
          wait.add(seconds(loaded, started));
          copy.add(seconds(started, finished));
          after2.add(seconds(finished, ended));
        }
      }
    }
    System.out.printf(Locale.ROOT, "lag, poll %s, %d jobs (imports took %.1f s, %.2f s each): finished - loaded"
        + " %s; of it: wait for a worker %s, copy %s; then remote transaction + completion %s; server CPU %.1f s%n",
        poll, lag.size(), importing, importing / (TABLES * ROUNDS), stats(lag), stats(wait), stats(copy),
        stats(after2), cpu);
    otherRuns(after);
  }

  /** 200 jobs queued with no server running, then drained by one server with this many workers. */
  private void drain(int workers) throws Exception {
    long after = maxJobId();
    importAll();
    long queued = maxJobId() - after;
    Instant start = Instant.now();
    Process server = startServer("--workers", String.valueOf(workers));
    Instant ready = Instant.now();
    awaitDone(after);
    double cpu = stop(server);
    Instant firstStart = null;
    Instant lastDone = null;
    List<Double> took = new ArrayList<>();
    try (Connection c = metadata(); PreparedStatement ps = c.prepareStatement("SELECT r.started, r.ended"
        + " FROM copy_job_runs r WHERE r.job_id > ? AND r.outcome = 'DONE'")) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant started = instant(rs, 1);
          Instant ended = instant(rs, 2);
          firstStart = firstStart == null || started.isBefore(firstStart) ? started : firstStart;
          lastDone = lastDone == null || ended.isAfter(lastDone) ? ended : lastDone;
          took.add(seconds(started, ended));
        }
      }
    }
    double total = seconds(start, lastDone);
    System.out.printf(Locale.ROOT, "drain, --workers %d, %d queued jobs: %.2f s from server start to the last DONE,"
        + " %.1f jobs/s (launcher to 'listening' %.2f s, to the first job taken %.2f s; first job to last DONE"
        + " %.2f s, %.1f jobs/s); one job, taken to DONE: %s; server CPU %.1f s%n", workers, queued, total,
        queued / total, seconds(start, ready), seconds(start, firstStart), seconds(firstStart, lastDone),
        queued / seconds(firstStart, lastDone), stats(took), cpu);
    otherRuns(after);
    cpFloor(after);
  }

  /** What a cron job copying each new import directory with cp -r would need for the same directories. */
  private void cpFloor(long after) throws Exception {
    List<String> dirs = new ArrayList<>();
    List<String> destinations = new ArrayList<>();
    try (Connection c = metadata(); PreparedStatement ps = c.prepareStatement(
        "SELECT destination, target_path FROM copy_jobs WHERE job_id > ? ORDER BY job_id")) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          destinations.add(rs.getString(1));
          dirs.add(java.net.URI.create(rs.getString(2)).getPath());
        }
      }
    }
    Path floor = work.resolve("cp-floor-" + after);
    exec("sync");
    long t0 = System.nanoTime();
    for (int i = 0; i < dirs.size(); i++) {
      Path target = floor.resolve("each/" + destinations.get(i));
      Files.createDirectories(target);
      exec("cp", "-r", dirs.get(i), target.toString());
    }
    double each = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    for (String destination : new java.util.TreeSet<>(destinations)) {
      Path target = floor.resolve("once/" + destination);
      Files.createDirectories(target);
      List<String> cmd = new ArrayList<>(List.of("cp", "-r"));
      for (int i = 0; i < dirs.size(); i++) {
        if (destinations.get(i).equals(destination)) {
          cmd.add(dirs.get(i));
        }
      }
      cmd.add(target.toString());
      exec(cmd.toArray(String[]::new));
    }
    double once = (System.nanoTime() - t1) / 1e9;
    long bytes;
    try (var files = Files.walk(floor.resolve("each"))) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    System.out.printf(Locale.ROOT, "floor: cp -r of the same %d import directories (%,d bytes in all), one cp"
        + " process per directory: %.2f s (%.0f dirs/s); one cp -r per destination: %.2f s%n", dirs.size(), bytes,
        each, dirs.size() / each, once);
    exec("rm", "-rf", floor.toString());
  }

  /** Tries that did not end DONE (failed, abandoned, given back): they would show in the lag. */
  private void otherRuns(long after) throws SQLException {
    try (Connection c = metadata(); PreparedStatement ps = c.prepareStatement("SELECT r.outcome, COUNT(*), MIN(r.error)"
        + " FROM copy_job_runs r WHERE r.job_id > ? AND (r.outcome IS NULL OR r.outcome <> 'DONE')"
        + " GROUP BY r.outcome")) {
      ps.setLong(1, after);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          System.out.printf("  runs not DONE: %s × %d, e.g. %s%n", rs.getString(1), rs.getLong(2), rs.getString(3));
        }
      }
    }
  }

  private void importAll() {
    for (int round = 0; round < ROUNDS; round++) {
      for (int t = 0; t < TABLES; t++) {
        fanout("a", "import", "--table", "lag.t" + t);
      }
    }
  }

  /** Starts {@code fanout server} through the launcher; returns once it prints that it listens. */
  private Process startServer(String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(launcher, "--home", work.resolve("a").toString(), "server",
        "--port", "0"));
    cmd.addAll(List.of(options));
    servers++;
    Path out = work.resolve("server-" + servers + ".out");
    Path err = work.resolve("server-" + servers + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    Instant deadline = Instant.now().plusSeconds(60);
    while (!Files.readString(out).contains("listening on")) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        p.destroyForcibly();
        throw new IllegalStateException("fanout server did not start: " + Files.readString(err));
      }
      Thread.sleep(10);
    }
    return p;
  }

  /**
   * SIGTERM, as a service manager stops it; prints whatever the server logged (warnings and errors). Returns
   * the CPU seconds the server used (user + system, from /proc; the launcher execs the JVM).
   */
  private double stop(Process p) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    p.destroy();
    int code = p.waitFor();
    Path err = work.resolve("server-" + servers + ".err");
    List<String> log = Files.readAllLines(err);
    if (code != 143 || !log.isEmpty()) {
      System.out.printf("  server %d exited %d; its log (%s) has %d line(s)%s%n", servers, code, err, log.size(),
          log.isEmpty() ? "" : ", first: " + log.get(0));
    }
    return cpu;
  }

  private void awaitDone(long after) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (true) {
      try (Connection c = metadata(); PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM copy_jobs WHERE job_id > ? AND state <> 'DONE'")) {
        ps.setLong(1, after);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("copy jobs not done after 10 minutes");
      }
      Thread.sleep(20);
    }
  }

  private long maxJobId() throws SQLException {
    try (Connection c = metadata(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(job_id), 0) FROM copy_jobs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return Transactions.instant(rs.getTimestamp(column));
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  /** p50 / p95 / max, nearest rank. */
  private static String stats(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "p50 %.3f / p95 %.3f / max %.3f s", rank(sorted, 50), rank(sorted, 95),
        sorted.get(sorted.size() - 1));
  }

  private static double rank(List<Double> sorted, int p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed");
    }
  }

  /** Runs a fanout command line in this JVM with its stdout silenced; any failure stops the benchmark. */
  private void fanout(String home, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", work.resolve(home).toString()));
    all.addAll(List.of(args));
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    int code;
    try {
      code = Main.run(all.toArray(String[]::new));
    } finally {
      System.setOut(out);
    }
    if (code != 0) {
      throw new IllegalStateException("fanout " + String.join(" ", all) + " exited " + code);
    }
  }
}
