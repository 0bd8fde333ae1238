package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.HdfsPerClass;
import dev.fanout.testing.MirrorTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy engine is chosen per remote instance: A imports from MariaDB and copies to B (a real
 * in-process HDFS) with Hadoop DistCp in local mode and to C (a local directory) with the default
 * engine; both load the same table, and {@code fanout verify} finds all three identical.
 */
class DistCpEngineTest {
  @TempDir Path tmp;
  @RegisterExtension static final HdfsPerClass HDFS = new HdfsPerClass();
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;
  private FanoutCli c;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30), price DECIMAL(10,2), qty INT,"
        + " changed DATETIME(6))");
    addOrders(1, 30_000);
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    String basedirB = "/b-" + tmp.getFileName();
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b", "--fs", HDFS.cluster().uri(), "--basedir", basedirB);
    c = new FanoutCli(tmp.resolve("c"));
    c.ok("init", "--cluster-name", "c");

    a.ok("instance", "add", "b", "--db-url", h2Url(tmp.resolve("b")), "--user", "", "--fs", HDFS.cluster().uri(),
        "--basedir", basedirB, "--copy-engine", "distcp");
    a.ok("instance", "add", "c", "--db-url", h2Url(tmp.resolve("c")), "--user", "", "--fs", "file:///",
        "--basedir", tmp.resolve("c/cluster").toString());
    // three sessions: three data files per import, for DistCp's maps to share
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "changed", "--etl", "merge",
        "--sessions", "3");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private static String h2Url(Path home) {
    return "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE";
  }

  private void addOrders(long from, long to) {
    source.execute("INSERT INTO orders SELECT seq, CONCAT('item ', seq MOD 13), seq / 7, seq MOD 7,"
        + " TIMESTAMP '2026-01-01 00:00:00' FROM seq_" + from + "_to_" + to);
  }

  private String verify() {
    return a.ok("verify", "--table", "sales.orders", "--instances", "local,b,c");
  }

  @Test
  void aSynchronousCopyByDistCpAndOneByTheDefaultEngineLoadTheSameTable() {
    assertThat(a.ok("instance", "list")).containsPattern("b .* copy_engine=distcp")
        .doesNotContainPattern("c .* copy_engine=");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "sync");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "c", "--transfer", "sync");

    assertThat(a.ok("import", "--table", "sales.orders")).contains("loaded 30000 rows");
    b.ok("import", "--table", "sales.orders");
    c.ok("import", "--table", "sales.orders");
    assertThat(verify()).contains("sales.orders on b: 30000 rows").contains("All 3 agree.");

    // an increment with changed rows: merged the same way on every cluster
    addOrders(30_001, 31_000);
    source.execute("UPDATE orders SET qty = 99, changed = TIMESTAMP '2026-02-01 00:00:00' WHERE id IN (5, 500, 30500)");
    source.execute("UPDATE orders SET changed = TIMESTAMP '2026-02-01 00:00:00' WHERE id > 30000");
    a.ok("import", "--table", "sales.orders");
    assertThat(b.ok("import", "--table", "sales.orders")).contains("loaded 1002 rows; table has 31000");
    c.ok("import", "--table", "sales.orders");
    String out = verify();
    assertThat(out).contains("sales.orders on b: 31000 rows").contains("All 3 agree.");
    String checksum = out.lines().filter(l -> l.contains("on local:")).findFirst().orElseThrow()
        .replaceAll(".*checksum ", "");
    assertThat(out.lines().filter(l -> l.contains("checksum " + checksum))).hasSize(3);
  }

  @Test
  void theServerCopiesAsynchronouslyWithDistCpFromTheFilesTheLoadMovedIntoTheTable() throws Exception {
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "c", "--transfer", "sync");
    a.ok("import", "--table", "sales.orders");

    try (Instance instance = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, ServerSettings.builder().port(0).workers(2)
            .poll(Duration.ofMillis(100)).build())) {
      awaitCopyFinished(Duration.ofSeconds(60));
    }

    b.ok("import", "--table", "sales.orders");
    c.ok("import", "--table", "sales.orders");
    assertThat(verify()).contains("sales.orders on b: 30000 rows").contains("All 3 agree.");
  }

  private void awaitCopyFinished(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Result waited;
    do {
      waited = b.run("wait", "--table", "sales.orders", "--newer-than", "2000-01-01T00:00:00Z", "--timeout", "1s",
          "--interval", "1s");
      if (waited.code() == 0) {
        return;
      }
      Thread.sleep(200);
    } while (Instant.now().isBefore(deadline));
    List<String> jobs = a.ok("jobs").lines().toList();
    throw new AssertionError("the copy to b did not finish within " + timeout + ": " + waited.err() + jobs);
  }

  @Test
  void aTableSyncToADistCpInstanceCopiesWithDistCpAndEndsEqual() {
    MirrorTables.create(a.home(), "hist.events", MirrorTables.BY_REGION);
    MirrorTables.edit(a.home(), "hist.events", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 500, "eu", "us")));
    assertThat(a.ok("sync", "--table", "hist.events", "--to", "b")).contains("first sync");
    MirrorTables.edit(a.home(), "hist.events", t -> MirrorTables.upsert(t, List.of(MirrorTables.row(t, 1, "us", 5, "changed"))));
    assertThat(a.ok("sync", "--table", "hist.events", "--to", "b")).contains("incremental");
    assertThat(MirrorTables.rowStrings(b.home(), "hist.events")).isEqualTo(MirrorTables.rowStrings(a.home(), "hist.events"))
        .hasSize(500).contains("Record(1, us, 5, changed)");
  }
}
