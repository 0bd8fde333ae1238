package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import whose process stalls (SIGSTOP: a long GC pause, a frozen VM) past its lease while another
 * import takes over: the stalled one, resumed, commits nothing and fails; the table holds each row once.
 * The metadata database is PostgreSQL, as in production: with embedded H2 the stalled process would be
 * the one serving the database to the others.
 */
class StalledImportTest {
  private static final int ROWS = 300_000;
  @TempDir Path tmp;

  @Test
  void stalledImportThatLostItsLeaseCommitsNothing() throws Exception {
    try (TestDatabase metadata = TestDatabase.create(Kind.POSTGRES, tmp);
        TestDatabase source = TestDatabase.create(Kind.MARIADB, tmp)) {
      source.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(12,2))",
          "INSERT INTO events SELECT seq, CONCAT('event ', seq), seq * 1.5 FROM seq_1_to_" + ROWS);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
      Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(),
          "--metadata-user", metadata.user(), "--metadata-password-stdin");
      assertThat(init.code()).as(init.err()).isZero();
      assertThat(fanout.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
          source.user(), "--password-stdin").code()).isZero();
      // an appending full import: a second commit of the same rows would double them
      fanout.ok("table", "add", "--connection", "src", "--source", source.schema() + ".events", "--target",
          "sales.events", "--etl", "insert", "--sessions", "1");

      Process stalled = startImport(fanout.home(), tmp.resolve("stalled.err"));
      try {
        awaitStaging(fanout.home(), stalled);
        signal("STOP", stalled);
        Thread.sleep(3_500); // past its 2-second lease

        Result takeover = fanout.run("import", "--table", "sales.events");
        assertThat(takeover.code()).as(takeover.err()).isZero();

        signal("CONT", stalled);
        assertThat(stalled.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(tmp.resolve("stalled.err"));
        assertThat(stalled.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("The import of sales.events lost its lease").contains("committed nothing");
      } finally {
        stalled.destroyForcibly();
      }

      try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
        var table = LakeTables.table(instance, "sales.events");
        assertThat(table.currentSnapshot().summary().get("total-records")).isEqualTo(String.valueOf(ROWS));
        assertThat(metadata.query("SELECT COUNT(*) FROM import_statistics").get(0).get(0))
            .hasToString("1");
      }
      assertThat(fanout.ok("table", "show", "sales.events")).contains(String.valueOf(ROWS));
    }
  }

  private static Process startImport(Path home, Path err) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.fanout.cli.Main", "--home", home.toString(), "import", "--table", "sales.events"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile());
    pb.environment().put("FANOUT_LEASE_SECONDS", "2");
    return pb.start();
  }

  /** Waits until the import writes its first staged file: it holds the lease and is reading the source. */
  private static void awaitStaging(Path home, Process p) throws Exception {
    for (int i = 0; i < 1200; i++) {
      try (Stream<Path> files = Files.walk(home)) {
        if (files.anyMatch(f -> f.toString().contains(".staging") && f.getFileName().toString().endsWith(".parquet"))) {
          return;
        }
      } catch (java.io.UncheckedIOException e) {
        // a directory vanished while walking: look again
      }
      assertThat(p.isAlive()).as("the import ended before it staged anything").isTrue();
      Thread.sleep(25);
    }
    throw new AssertionError("the import did not start staging within 30 s");
  }

  private static void signal(String signal, Process p) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }
}
