package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout status} as a monitoring check calls it: instance A imports sales.orders (in a daily DAG)
 * and copies it asynchronously to B; no server runs, so its copy job stays pending until taken here.
 */
class StatusCommandTest {
  private static final String ERROR = "Cannot write to b: disk full";

  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.H2, tmp);
    source.execute("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, ITEM VARCHAR(40))",
        "INSERT INTO ORDERS SELECT X, 'item ' || X FROM SYSTEM_RANGE(1, 120)");
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    new FanoutCli(tmp.resolve("b")).ok("init", "--cluster-name", "b", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "async");
    a.ok("dag", "add", "nightly", "--filter", "sales.*", "--schedule", "30 2 * * *");
    a.ok("import", "--table", "sales.orders");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  @Test
  void aHealthyQueueExitsZeroAndShowsEachDestinationAndTable() {
    FanoutCli.Result r = a.run("status");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).containsPattern("(?m)^b +1 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +\\d+s +- +0$")
        .doesNotContain("FAILING JOBS");
    // the DAG runs at 02:30 UTC: the next run is the coming one, printed in UTC to the second
    Instant now = Instant.now();
    Instant next = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(Duration.ofMinutes(150));
    if (!next.isAfter(now)) {
      next = next.plus(Duration.ofDays(1));
    }
    assertThat(r.out()).containsPattern("(?m)^sales\\.orders +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +120 +"
        + next + " \\(DAG nightly\\)$");
  }

  @Test
  void aFlaggedJobExitsOneAndShowsItsError() {
    long job = failTheJob();

    FanoutCli.Result failingOnce = a.run("status");
    assertThat(failingOnce.code()).as("one failed try is not flagged yet").isZero();
    assertThat(failingOnce.out()).contains("FAILING JOBS").contains("job " + job + " import").contains(ERROR)
        .doesNotContain("(FLAGGED)");

    FanoutCli.Result flagged = a.run("status", "--flag-after", "1");
    assertThat(flagged.code()).isEqualTo(1);
    assertThat(flagged.out()).contains("job " + job + " import").contains("to b, FAILED after 1 tries (FLAGGED): " + ERROR);
    assertThat(flagged.err()).isEqualTo("fanout: 1 copy job needs a person; see FAILING JOBS above, then"
        + " 'fanout jobs retry ID' or 'fanout jobs cancel ID'.\n");
  }

  @Test
  void aBadThresholdIsABadCommandLine() {
    FanoutCli.Result r = a.run("status", "--flag-after", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--flag-after must be between 1 and 1000, not 0");
  }

  /** Takes the copy job as a worker would and fails its try. */
  private long failTheJob() {
    try (Instance i = Instance.open(new FanoutHome(a.home()))) {
      CopyJobQueue queue = new CopyJobQueue(i.transactions());
      CopyJob job = queue.claim("test-worker", Duration.ofMinutes(5), owner -> false).orElseThrow().job();
      assertThat(queue.fail(job.id(), "test-worker", ERROR, Instant.now().plus(Duration.ofHours(1)).toEpochMilli()))
          .isTrue();
      return job.id();
    }
  }
}
