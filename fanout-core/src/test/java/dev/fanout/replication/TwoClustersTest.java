package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.SourceQueryLog;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.fanout.testing.HdfsPerClass;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One read, three clusters: instance A (H2 metadata, local directory) imports from MariaDB and copies
 * synchronously to B (PostgreSQL metadata, a real in-process HDFS) and C (H2 metadata, local directory);
 * B and C load the copies without touching the source.
 */
class TwoClustersTest {
  @TempDir Path tmp;
  @RegisterExtension static final HdfsPerClass HDFS = new HdfsPerClass();
  private TestDatabase source;
  private TestDatabase metadataB;
  private FanoutCli a;
  private FanoutCli b;
  private FanoutCli c;

  private String basedirB() {
    return "/b-" + tmp.getFileName();
  }

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30), qty INT, changed DATETIME(6))");
    addOrders(1, 1000);
    metadataB = TestDatabase.create(Kind.POSTGRES, tmp);

    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = new FanoutCli(tmp.resolve("b"));
    Result initB = b.runWithStdin(metadataB.password(), "init", "--metadata-url", metadataB.url(), "--metadata-user",
        metadataB.user(), "--metadata-password-stdin", "--cluster-name", "b", "--fs", HDFS.cluster().uri(), "--basedir", basedirB());
    assertThat(initB.code()).as(initB.err()).isZero();
    c = new FanoutCli(tmp.resolve("c"));
    c.ok("init", "--cluster-name", "c");

    assertThat(a.runWithStdin(metadataB.password(), "instance", "add", "b", "--db-url", metadataB.url(), "--user",
        metadataB.user(), "--password-stdin", "--fs", HDFS.cluster().uri(), "--basedir", basedirB()).code())
        .isZero();
    a.ok("instance", "add", "c", "--db-url", h2Url(tmp.resolve("c")), "--user", "", "--fs", "file:///",
        "--basedir", tmp.resolve("c/cluster").toString());
  }

  @AfterEach
  void tearDown() {
    source.close();
    metadataB.close();
  }

  private static String h2Url(Path home) {
    return "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE";
  }

  private void addOrders(long from, long to) {
    source.execute("INSERT INTO orders SELECT seq, CONCAT('item ', seq MOD 13), seq MOD 7,"
        + " TIMESTAMP '2026-01-01 00:00:00' FROM seq_" + from + "_to_" + to);
  }

  private List<List<Object>> sourceRows() {
    return source.query("SELECT id, item, qty FROM orders ORDER BY id");
  }

  private static List<List<Object>> lakeRows(FanoutCli instance) {
    return LakeTables.rows(instance.home(), "sales.orders").stream()
        .map(r -> List.<Object>of(r.get(0), r.get(1), r.get(2))).toList();
  }

  private void assertEveryClusterEqualsTheSource() {
    List<List<Object>> expected = sourceRows().stream()
        .map(r -> List.<Object>of(((Number) r.get(0)).longValue(), r.get(1), ((Number) r.get(2)).intValue())).toList();
    assertThat(lakeRows(a)).isEqualTo(expected);
    assertThat(lakeRows(b)).isEqualTo(expected);
    assertThat(lakeRows(c)).isEqualTo(expected);
  }

  @Test
  void oneReadFeedsEveryClusterThroughFullIncrementalAndMergeImports() {
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "changed", "--etl", "merge");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "sync");
    a.ok("copy-rule", "add", "--filter", "sales.orders;hr.*", "--destination", "c", "--transfer", "sync");

    try (SourceQueryLog log = SourceQueryLog.start(source)) {
      assertThat(a.ok("import", "--table", "sales.orders")).contains("loaded 1000 rows");
      assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     1").doesNotContain("copy_finished:  -");
      b.ok("import", "--table", "sales.orders");
      c.ok("import", "--table", "sales.orders");
      assertEveryClusterEqualsTheSource();

      addOrders(1001, 1200);
      source.execute("UPDATE orders SET qty = 99, changed = TIMESTAMP '2026-02-01 00:00:00' WHERE id IN (5, 500, 1100)");
      source.execute("UPDATE orders SET changed = TIMESTAMP '2026-02-01 00:00:00' WHERE id > 1000");
      a.ok("import", "--table", "sales.orders");
      assertThat(b.ok("import", "--table", "sales.orders")).contains("source 202, staged 202, loaded 202 rows; table has 1200");
      c.ok("import", "--table", "sales.orders");
      assertEveryClusterEqualsTheSource();
      assertThat(b.ok("import", "--table", "sales.orders")).contains("Nothing new was copied");

      assertThat(log.dataReads("orders")).as("SELECTs of the table's rows at the source").isEqualTo(2);
    }
  }

  @Test
  void aRemoteThatIsDownFailsTheImportCleanlyAndTheRerunLosesNothing() throws Exception {
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "id");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b", "--transfer", "sync");
    a.ok("import", "--table", "sales.orders");
    b.ok("import", "--table", "sales.orders");

    // B's HDFS goes down
    HDFS.cluster().stopNameNode();
    addOrders(1001, 1500);
    Result failed;
    try {
      failed = a.run("import", "--table", "sales.orders");
    } finally {
      HDFS.cluster().restartNameNode();
    }
    assertThat(failed.code()).isEqualTo(1);
    assertThat(failed.err()).contains("copy of sales.orders to instance b failed");
    assertThat(lakeRows(a)).hasSize(1000);

    addOrders(1501, 1600);
    assertThat(a.ok("import", "--table", "sales.orders")).contains("(resumed)").contains("loaded 500 rows");
    assertThat(a.ok("import", "--table", "sales.orders")).contains("loaded 100 rows; table has 1600");
    assertThat(b.ok("import", "--table", "sales.orders")).contains("loaded 500 rows").contains("loaded 100 rows; table has 1600");
    assertThat(lakeRows(b)).isEqualTo(lakeRows(a)).hasSize(1600);
  }

  @Test
  void syncCredentialsHandsTheSourceCredentialsOverEncryptedForTheRemote() {
    a.ok("instance", "add", "c2", "--db-url", h2Url(tmp.resolve("c")), "--fs", "file:///", "--basedir",
        tmp.resolve("c/cluster").toString(), "--sync-credentials", "--remote-key-file", tmp.resolve("c/fanout.key").toString());
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "c2", "--transfer", "sync");
    a.ok("import", "--table", "sales.orders");

    try (dev.fanout.instance.Instance remote = dev.fanout.instance.Instance.open(new dev.fanout.config.FanoutHome(tmp.resolve("c")))) {
      dev.fanout.metadata.SourceConnection copied = remote.connections().require("src");
      assertThat(copied.sealedCredentials()).startsWith("v1:");
      assertThat(remote.credentials(copied.sealedCredentials()).user()).isEqualTo(source.user());
    }
    Result withoutKey = a.run("instance", "add", "c3", "--db-url", h2Url(tmp.resolve("c")), "--fs", "file:///",
        "--basedir", tmp.resolve("c/cluster").toString(), "--sync-credentials");
    assertThat(withoutKey.err()).contains("needs --remote-key-file");
  }

  @Test
  void waitReturnsAsSoonAsFreshDataArrived() {
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "c", "--transfer", "sync");
    String before = java.time.Instant.now().minusSeconds(1).toString();
    a.ok("import", "--table", "sales.orders");

    assertThat(c.ok("wait", "--table", "sales.orders", "--newer-than", before, "--timeout", "5s", "--interval", "1s"))
        .contains("copy_finished");
    Result late = c.run("wait", "--table", "sales.orders", "--newer-than", "2999-01-01T00:00:00Z", "--timeout", "2s",
        "--interval", "1s");
    assertThat(late.code()).isEqualTo(1);
    assertThat(late.err()).contains("Timed out after 2s");
  }

  @Test
  void badReplicationInputIsRefusedClearly() throws Exception {
    Result unknown = a.run("copy-rule", "add", "--filter", "sales.*", "--destination", "nowhere", "--transfer", "sync");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("Unknown instance 'nowhere'");

    Result unreachable = a.run("instance", "add", "x", "--db-url", "jdbc:postgresql://127.0.0.1:1/none", "--fs",
        "file:///", "--basedir", tmp.resolve("x").toString());
    assertThat(unreachable.code()).isEqualTo(1);
    assertThat(unreachable.err()).contains("Cannot reach the metadata database of instance 'x'");

    Result wrongPassword = a.runWithStdin("wrong", "instance", "add", "y", "--db-url", metadataB.url(), "--user",
        "fanout_nobody", "--password-stdin", "--fs", "file:///", "--basedir", tmp.resolve("y").toString());
    assertThat(wrongPassword.code()).isEqualTo(1);
    assertThat(wrongPassword.err()).contains("instance 'y'");

    Path blocked = tmp.resolve("blocked");
    Files.writeString(blocked, "a file, not a directory");
    Result notWritable = a.run("instance", "add", "z", "--db-url", h2Url(tmp.resolve("c")), "--fs", "file:///",
        "--basedir", blocked.resolve("base").toString());
    assertThat(notWritable.code()).isEqualTo(1);
    assertThat(notWritable.err()).contains("is not writable");
    assertThat(a.ok("instance", "list")).doesNotContain("x ").doesNotContain("y ").doesNotContain("z ");

    Result nothing = a.run("copy-rule", "add", "--filter", "nothing.here", "--destination", "b", "--transfer", "sync");
    assertThat(nothing.code()).isZero();
    assertThat(nothing.err()).contains("warning: filter 'nothing.here' matches no configured table");

    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "c", "--transfer", "sync");
    Result early = c.run("import", "--table", "sales.orders");
    assertThat(early.err()).contains("Unknown table sales.orders");
  }
}
