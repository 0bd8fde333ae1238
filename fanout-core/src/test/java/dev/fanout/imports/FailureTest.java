package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.lease.Lease;
import dev.fanout.metadata.TableName;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure is normal: a failed import changes nothing, and the retry resumes without loss or duplicates. */
class FailureTest {
  @TempDir Path tmp;
  private TestDatabase db;
  private FanoutCli fanout;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create(Kind.MARIADB, tmp);
    db.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, payload VARCHAR(100), at DATETIME(6))");
    addEvents(1, 2000);
    fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private void addEvents(long from, long to) {
    db.execute("INSERT INTO events SELECT seq, CONCAT('event ', seq), TIMESTAMP '2026-03-01 00:00:00' + INTERVAL seq SECOND"
        + " FROM seq_" + from + "_to_" + to);
  }

  private void addIncrementalTable() {
    fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".events", "--target", "log.events",
        "--import", "incr", "--incr-column", "id", "--sessions", "2");
  }

  private List<Long> lakeIds() {
    return LakeTables.rows(fanout.home(), "log.events").stream().map(r -> (Long) r.get(0)).toList();
  }

  @Test
  void countMismatchFailsWithTheThreeNumbersAndCommitsNothing() {
    // A view whose rows change from one query to the next: the count and the read disagree. Over 200,000
    // rows, two halves drawn at random are equal in size about once in 800 tries.
    db.execute("CREATE VIEW flaky AS SELECT e.id * 1000 + s.seq AS id, e.payload, e.at FROM events e"
        + " JOIN seq_1_to_100 s WHERE RAND() < 0.5");
    fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".flaky", "--target", "log.flaky");

    Result r = fanout.run("import", "--table", "log.flaky");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).containsPattern("Validation failed for log.flaky: source \\d+ rows, staged \\d+, loaded 0");
    assertThat(fanout.ok("table", "show", "log.flaky")).contains("last import:    never");
    Result read = fanout.run("import", "--table", "log.flaky");
    assertThat(read.err()).contains("Validation failed");
    assertThat(stagingDirectories()).isEmpty();
  }

  @Test
  void aFailedLoadIsResumedWithoutReadingTheSourceAgain() throws Exception {
    addIncrementalTable();
    // Something in the way of the table's data directory makes the first load fail after staging.
    Path blocker = tmp.resolve("home/cluster/warehouse/log/events/data");
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "in the way");

    Result failed = fanout.run("import", "--table", "log.events");
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("Cannot move staged files");
    assertThat(fanout.ok("table", "show", "log.events")).contains("watermark:      (none yet)");

    Files.delete(blocker);
    addEvents(2001, 2500); // arrives after the failed run: belongs to the next increment, not this one
    String resumed = fanout.ok("import", "--table", "log.events");
    assertThat(resumed).contains("Resuming the load").contains("source 2000, staged 2000, loaded 2000 rows").contains("(resumed)");
    assertThat(fanout.ok("table", "show", "log.events")).contains("watermark:      2000");

    assertThat(fanout.ok("import", "--table", "log.events")).contains("source 500, staged 500, loaded 500 rows; table has 2500");
    assertThat(lakeIds()).hasSize(2500).doesNotHaveDuplicates();
  }

  @Test
  void importSurvivesBeingKilledAtAnyMoment() throws Exception {
    addEvents(2001, 300_000);
    addIncrementalTable();
    long next = 300_001;
    for (int delayMs : new int[] {1500, 2500, 3500, 4500, 6000}) {
      Process p = startImport();
      p.waitFor(delayMs, TimeUnit.MILLISECONDS);
      p.destroyForcibly().waitFor();
      addEvents(next, next + 999);
      next += 1000;
    }
    // Each retry finishes what the killed one left; two more runs take whatever is still new.
    fanout.ok("import", "--table", "log.events");
    fanout.ok("import", "--table", "log.events");
    List<Long> ids = lakeIds();
    assertThat(ids).doesNotHaveDuplicates().hasSize((int) (next - 1));
    assertThat(ids.get(ids.size() - 1)).isEqualTo(next - 1);
    assertThat(stagingDirectories()).as("staging directories left behind by the killed runs").isEmpty();
  }

  @Test
  void aSecondImportOfTheSameTableWaitsForTheFirst() throws Exception {
    addEvents(2001, 400_000);
    addIncrementalTable();
    Process first = startImport();
    try {
      // once the first import reports its read, it holds the table's lock
      Path out = tmp.resolve("child.out");
      for (int i = 0; i < 600 && !(Files.exists(out) && Files.readString(out).contains("reading")); i++) {
        Thread.sleep(100);
      }
      Result second = fanout.run("import", "--table", "log.events");
      assertThat(second.code()).isEqualTo(1);
      assertThat(second.err()).contains("is running already (held by");
    } finally {
      assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(first.exitValue()).isZero();
    assertThat(lakeIds()).hasSize(400_000).doesNotHaveDuplicates();
  }

  @Test
  void theLockAKilledFailoverLeftOnAnotherHostRunsOutWhenTheMessageSays() throws Exception {
    addIncrementalTable();
    // a failover on another host took the table's lock for 4 s and was killed there: nobody releases it
    try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
      assertThat(instance.leases().tryAcquire(Lease.importOf(TableName.parse("log.events")),
          "4242@other-host/failover", Duration.ofSeconds(4), holder -> false)).isPresent();
    }

    Result blocked = fanout.run("import", "--table", "log.events");
    assertThat(blocked.code()).isEqualTo(1);
    assertThat(blocked.err()).contains("held by 4242@other-host/failover");
    Matcher said = Pattern.compile("its lease runs out in (\\d+) s").matcher(blocked.err());
    assertThat(said.find()).as(blocked.err()).isTrue();
    int seconds = Integer.parseInt(said.group(1));
    assertThat(seconds).isBetween(1, 4);

    Thread.sleep(seconds * 1000L + 300);
    fanout.ok("import", "--table", "log.events");
    assertThat(lakeIds()).hasSize(2000);
  }

  private Process startImport() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.fanout.cli.Main",
        "--home", fanout.home().toString(), "import", "--table", "log.events")
        .redirectOutput(tmp.resolve("child.out").toFile())
        .redirectError(tmp.resolve("child.err").toFile())
        .start();
  }

  private List<Path> stagingDirectories() {
    Path root = tmp.resolve("home/cluster/.staging");
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root, 3)) {
      return s.filter(p -> p.getNameCount() - root.getNameCount() == 3).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
