package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy_slave loads in the master's import order, whatever order the copies arrive in. Here Monday's
 * import waits in the queue for an asynchronous copy while the rule is switched to synchronous, so
 * Tuesday's import reaches B first and is loaded there; Monday's arrives late.
 */
class LateArrivalTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30))");
    source.execute("INSERT INTO orders VALUES (1, 'monday'), (2, 'monday')");
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  @Test
  void aFullImportThatArrivesAfterANewerOneIsRecordedAsSupersededNotLoadedOverIt() throws Exception {
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    a.ok("import", "--table", "sales.orders"); // Monday: its copy to b waits for a server
    a.ok("copy-rule", "remove", "1");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b", "--transfer", "sync");
    source.execute("UPDATE orders SET item = 'tuesday'");
    source.execute("INSERT INTO orders VALUES (3, 'tuesday')");
    a.ok("import", "--table", "sales.orders"); // Tuesday: copied to b at once
    b.ok("import", "--table", "sales.orders");
    assertThat(items(b)).containsOnly("tuesday").hasSize(3);

    try (Instance instanceA = Instance.open(new FanoutHome(a.home()));
        FanoutServer ignored = FanoutServer.start(instanceA, ServerSettings.builder().port(0)
            .poll(Duration.ofMillis(100)).build())) {
      awaitCopiesDone(instanceA);
    }
    String late = b.ok("import", "--table", "sales.orders");

    assertThat(late).contains("Not loading copied import ").contains("the newer full import ")
        .contains("recorded as superseded");
    assertThat(items(b)).as("b keeps Tuesday's rows").containsOnly("tuesday").hasSize(3);
    a.ok("verify", "--table", "sales.orders", "--source"); // exits 1 when a cluster differs from the source
  }

  private List<Object> items(FanoutCli instance) {
    return LakeTables.rows(instance.home(), "sales.orders").stream().map(r -> r.get(1)).toList();
  }

  private static void awaitCopiesDone(Instance instance) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    CopyJobReports reports = new CopyJobReports(instance.transactions());
    while (!reports.list(new CopyJobFilter(null, null, null, 100)).stream()
        .allMatch(j -> j.state() == CopyJobState.DONE)) {
      assertThat(Instant.now()).as("the late copy to b within 90 s").isBefore(deadline);
      Thread.sleep(100);
    }
  }
}
