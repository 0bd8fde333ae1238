package dev.fanout.bench;

import dev.fanout.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 4's benchmark: the lag from the end of an import's load to the remote {@code copy_finished}
 * over 100 small imports with a {@code fanout server} process running, and the time that server takes to
 * drain 200 jobs queued while it was stopped. A (PostgreSQL metadata, so its queue) imports from MariaDB;
 * B and C are H2 instances; all clusters are local directories. Imports run in this JVM (one after the
 * other, like a scheduler's tasks); the server is the real launcher, {@code bin/fanout server}.
 *
 * <p>Arguments: work directory, launcher path. Needs MariaDB on 127.0.0.1:3306 (root) and PostgreSQL on
 * 127.0.0.1:5432 (postgres, trust).
 */
public final class AsyncLag {
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/postgres";
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final int TABLES = 10;

  private final Path work;
  private final String launcher;
  private final String name = "fanout_lag_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private boolean ruleToC;

  private AsyncLag(Path work, String launcher) {
    this.work = work;
    this.launcher = launcher;
  }

  public static void main(String[] args) throws Exception {
    new AsyncLag(Path.of(args[0]), args[1]).run();
  }

  private void run() throws Exception {
    Files.createDirectories(work);
    setUpSource();
    try {
      setUpInstances();
      lag("500ms");
      lag("100ms");
      drain(4);
      drain(8);
      copyFloor();
    } finally {
      tearDown();
    }
  }

  private void setUpSource() throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
      s.execute("USE " + name);
      for (int t = 0; t < TABLES; t++) {
        s.execute("CREATE TABLE " + name + ".t" + t + " (id BIGINT PRIMARY KEY, item VARCHAR(40), qty INT,"
            + " price DECIMAL(10,2))");
        s.execute("INSERT INTO " + name + ".t" + t + " SELECT seq, CONCAT('item ', seq), seq MOD 7, seq / 3"
            + " FROM seq_1_to_1000");
      }
    }
    try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
  }

  private void tearDown() throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    }
    try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  private String metadataUrl() {
    return POSTGRES + "?currentSchema=" + name;
  }

  private void setUpInstances() {
    fanout("b", "init", "--cluster-name", "b");
    fanout("c", "init", "--cluster-name", "c");
    fanout("a", "init", "--metadata-url", metadataUrl(), "--metadata-user", "postgres", "--cluster-name", "a");
    fanout("a", "connection", "add", "src", "--url", MARIADB + name, "--user", "root");
    fanout("a", "instance", "add", "b", "--db-url", h2(work.resolve("b")), "--fs", "file:///", "--basedir",
        work.resolve("b/cluster").toString());
    fanout("a", "instance", "add", "c", "--db-url", h2(work.resolve("c")), "--fs", "file:///", "--basedir",
        work.resolve("c/cluster").toString());
    for (int t = 0; t < TABLES; t++) {
      fanout("a", "table", "add", "--connection", "src", "--source", name + ".t" + t, "--target", "lag.t" + t);
    }
    fanout("a", "copy-rule", "add", "--filter", "lag.*", "--destination", "b");
  }

  private static String h2(Path home) {
    return "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE";
  }

  /** 100 imports (10 tables × 10 full imports) with a server running; lag of each of their jobs. */
  private void lag(String poll) throws Exception {
    long firstJob = maxJobId() + 1;
    Process server = startServer("--poll", poll);
    try {
      for (int round = 0; round < 10; round++) {
        for (int t = 0; t < TABLES; t++) {
          fanout("a", "import", "--table", "lag.t" + t);
        }
      }
      awaitDone();
    } finally {
      stop(server);
    }
    List<Double> lags = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(metadataUrl(), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT j.finished, i.loaded FROM copy_jobs j JOIN staged_imports i"
            + " ON i.import_id = j.import_id WHERE j.job_id >= " + firstJob)) {
      while (rs.next()) {
        // stored as UTC instants whatever the zone: read them as such
        java.time.Instant finished = dev.fanout.jdbc.UtcTimes.get(rs, 1);
        java.time.Instant loaded = dev.fanout.jdbc.UtcTimes.get(rs, 2);
        lags.add(java.time.Duration.between(loaded, finished).toMillis() / 1000.0);
      }
    }
    Collections.sort(lags);
    System.out.printf(Locale.ROOT, "lag (poll %s, %d imports): p50 %.3f s, p95 %.3f s, max %.3f s%n", poll,
        lags.size(), percentile(lags, 50), percentile(lags, 95), lags.get(lags.size() - 1));
  }

  /** 200 jobs queued (100 imports × B and C) while no server runs, then drained by one server. */
  private void drain(int workers) throws Exception {
    if (!ruleToC) {
      fanout("a", "copy-rule", "add", "--filter", "lag.*", "--destination", "c");
      ruleToC = true;
    }
    long before = maxJobId();
    for (int round = 0; round < 10; round++) {
      for (int t = 0; t < TABLES; t++) {
        fanout("a", "import", "--table", "lag.t" + t);
      }
    }
    long queued = maxJobId() - before;
    long start = System.nanoTime();
    Process server = startServer("--workers", String.valueOf(workers), "--poll", "100ms");
    try {
      awaitDone();
    } finally {
      stop(server);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "drain (%d workers): %d queued jobs in %.1f s from server start, %.1f jobs/s%n",
        workers, queued, seconds, queued / seconds);
  }

  /** The floor for moving the same bytes: `cp -r` of B's staging directories (what a cron job would copy). */
  private void copyFloor() throws Exception {
    Path from = work.resolve("b/cluster/.staging");
    long start = System.nanoTime();
    Process cp = new ProcessBuilder("cp", "-r", from.toString(), work.resolve("cp-floor").toString()).inheritIO().start();
    cp.waitFor();
    long dirs;
    try (var s = Files.walk(from, 3)) {
      dirs = s.filter(p -> from.relativize(p).getNameCount() == 3).count();
    }
    System.out.printf(Locale.ROOT, "cp -r of B's %d staging directories: %.2f s%n", dirs,
        (System.nanoTime() - start) / 1e9);
  }

  private Process startServer(String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(launcher, "--home", work.resolve("a").toString(), "server", "--port", "0"));
    cmd.addAll(List.of(options));
    Path out = Files.createTempFile(work, "server", ".out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
        .redirectError(work.resolve("server.err").toFile()).start();
    for (int i = 0; i < 600; i++) {
      Matcher m = LISTENING.matcher(Files.readString(out));
      if (m.find()) {
        return p;
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("the server did not start: " + Files.readString(work.resolve("server.err")));
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    p.waitFor();
  }

  private void awaitDone() throws Exception {
    while (true) {
      try (Connection c = DriverManager.getConnection(metadataUrl(), "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM copy_jobs WHERE state <> 'DONE'")) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
  }

  private long maxJobId() throws SQLException {
    return queryLong("SELECT COALESCE(MAX(job_id), 0) FROM copy_jobs");
  }

  private long queryLong(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(metadataUrl(), "postgres", "");
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Runs a command in this JVM, quietly; any failure stops the benchmark. */
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
