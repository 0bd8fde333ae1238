package dev.fanout.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.CommitConflicts;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.RestCatalogServer;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.replication.Backoff;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import java.nio.file.Files;
import java.time.Duration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose lake catalog is an Iceberg REST catalog (Iceberg's own REST catalog server, in a
 * process of its own): imports land there, where an engine pointed at the catalog finds them, and copies,
 * mirrors and verify work between it and an instance on the JDBC catalog.
 */
class RestCatalogTest {
  @TempDir Path tmp;
  private RestCatalogServer server;
  private TestDatabase source;
  private FanoutCli rest;

  @BeforeEach
  void setUp() {
    server = RestCatalogServer.start(tmp.resolve("rest-server"), Path.of("target", "rest-catalog-logs"));
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2))");
    source.execute("INSERT INTO orders SELECT seq, CONCAT('customer ', seq MOD 7), seq + 0.25 FROM seq_1_to_300");
    rest = new FanoutCli(tmp.resolve("r"));
    Result init = rest.run("init", "--cluster-name", "r", "--catalog", "rest", "--catalog-uri", server.uri());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("catalog:  rest at " + server.uri());
    assertThat(rest.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
  }

  @AfterEach
  void tearDown() {
    source.close();
    server.close();
  }

  private RESTCatalog engine() {
    RESTCatalog engine = new RESTCatalog();
    engine.setConf(new org.apache.hadoop.conf.Configuration());
    engine.initialize("engine", Map.of(CatalogProperties.URI, server.uri(),
        CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO"));
    return engine;
  }

  @Test
  void importsOfEveryEtlModeLandInTheRestCatalogWhereAnEngineFindsThem() throws Exception {
    String from = source.schema() + ".orders";
    rest.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.full");
    rest.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.appended",
        "--import", "incr", "--incr-column", "id");
    rest.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.merged",
        "--etl", "merge", "--deletes", "detect", "--history");
    for (String t : List.of("sales.full", "sales.appended", "sales.merged")) {
      rest.ok("import", "--table", t);
    }
    source.execute("DELETE FROM orders WHERE id <= 10", "UPDATE orders SET amount = 1 WHERE id = 100",
        "INSERT INTO orders VALUES (301, 'new', 3.5)");
    for (String t : List.of("sales.full", "sales.appended", "sales.merged")) {
      rest.ok("import", "--table", t);
    }

    assertThat(LakeTables.rows(rest.home(), "sales.full")).hasSize(291);
    assertThat(LakeTables.rows(rest.home(), "sales.appended")).hasSize(301);
    assertThat(LakeTables.rows(rest.home(), "sales.merged")).hasSize(291);
    Result verify = rest.run("verify", "--table", "sales.merged", "--source");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

    try (RESTCatalog engine = engine()) {
      assertThat(engine.listTables(Namespace.of("sales"))).extracting(TableIdentifier::name)
          .containsExactlyInAnyOrder("full", "appended", "merged", "merged_history");
      Table merged = engine.loadTable(TableIdentifier.of("sales", "merged"));
      assertThat(merged.currentSnapshot().summary()).containsEntry("fanout.deleted-rows", "10");
    }
  }

  @Test
  void aJdbcInstanceCopiesAndMirrorsToARestInstanceAndVerifyComparesThem() {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    jdbc.ok("instance", "add", "r", "--db-url", "jdbc:h2:file:" + tmp.resolve("r/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("r/cluster").toString());
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--etl", "merge", "--deletes", "detect");
    jdbc.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "r", "--transfer", "sync");
    jdbc.ok("import", "--table", "sales.orders");
    rest.ok("import", "--table", "sales.orders");
    assertThat(jdbc.ok("verify", "--table", "sales.orders")).contains("on r: 300 rows").contains("All 2 agree.");

    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "hr.mirrored");
    jdbc.ok("import", "--table", "hr.mirrored");
    jdbc.ok("sync", "--table", "hr.mirrored", "--to", "r");
    assertThat(LakeTables.rows(rest.home(), "hr.mirrored")).isEqualTo(LakeTables.rows(jdbc.home(), "hr.mirrored"));
    assertThat(jdbc.ok("verify", "--table", "hr.mirrored", "--instances", "local,r")).contains("All 2 agree.");
  }

  @Test
  void aJdbcInstancesServerDeliversAnAsyncCopyThatTheRestInstanceLoads() throws Exception {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    jdbc.ok("instance", "add", "r", "--db-url", "jdbc:h2:file:" + tmp.resolve("r/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("r/cluster").toString());
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "id");
    jdbc.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "r");
    java.time.Instant before = java.time.Instant.now();
    assertThat(jdbc.ok("import", "--table", "sales.orders")).contains("Queued the copy");
    try (Instance instance = Instance.open(new FanoutHome(jdbc.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, fast())) {
      awaitCopyFinished(rest, "sales.orders", before);
    }
    rest.ok("import", "--table", "sales.orders");

    try (RESTCatalog engine = engine()) {
      assertThat(engine.loadTable(TableIdentifier.of("sales", "orders")).currentSnapshot().summary())
          .containsEntry("total-records", "300");
    }
    assertThat(jdbc.ok("verify", "--table", "sales.orders")).contains("on r: 300 rows").contains("All 2 agree.");
  }

  @Test
  void aFailoverToTheRestInstanceAndBackLosesNoIncrement() throws Exception {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a"));
    jdbc.ok("init", "--cluster-name", "a");
    assertThat(jdbc.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
    jdbc.ok("instance", "add", "r", "--db-url", "jdbc:h2:file:" + tmp.resolve("r/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("r/cluster").toString(), "--remote-key-file",
        tmp.resolve("r/fanout.key").toString());
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "id");
    jdbc.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "r", "--transfer", "sync");
    jdbc.ok("import", "--table", "sales.orders");
    rest.ok("import", "--table", "sales.orders");

    assertThat(jdbc.ok("failover", "--filter", "sales.*", "--to", "r")).contains("Failed over 1 table(s) to r.");
    source.execute("INSERT INTO orders SELECT seq, 'after the failover', seq FROM seq_301_to_350");
    java.time.Instant before = java.time.Instant.now();
    rest.ok("import", "--table", "sales.orders");
    // r's copies back to a go through r's server
    try (Instance instance = Instance.open(new FanoutHome(rest.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, fast())) {
      awaitCopyFinished(jdbc, "sales.orders", before);
    }
    jdbc.ok("import", "--table", "sales.orders");
    assertThat(rest.ok("verify", "--table", "sales.orders", "--source")).contains("on r: 350 rows")
        .contains("on a: 350 rows").contains("on source: 350 rows").contains("All 3 agree.");

    assertThat(jdbc.ok("failback", "--filter", "sales.*", "--wait")).contains("Failed back 1 table(s) from r.");
    source.execute("INSERT INTO orders SELECT seq, 'after the failback', seq FROM seq_351_to_360");
    jdbc.ok("import", "--table", "sales.orders");
    rest.ok("import", "--table", "sales.orders");
    assertThat(jdbc.ok("verify", "--table", "sales.orders", "--source")).contains("on a: 360 rows")
        .contains("on r: 360 rows").contains("on source: 360 rows").contains("All 3 agree.");
  }

  @Test
  void anotherEngineCommittingToTheSameTablesWhileFanoutImportsNeverLeavesHalfAnImport() throws Exception {
    try (RESTCatalog engine = engine()) {
      CommitConflicts.importWhileAnotherWriterCommits(rest, source, engine);
    }
  }

  @Test
  void aCatalogChoiceThatCannotWorkIsOneSentenceAndCreatesNothing() {
    FanoutCli other = new FanoutCli(tmp.resolve("x"));
    Result unknown = other.run("init", "--catalog", "glue");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown catalog 'glue'; use jdbc, rest or hive.");
    Result noUri = other.run("init", "--catalog", "rest");
    assertThat(noUri.code()).isEqualTo(2);
    assertThat(noUri.err()).contains("--catalog rest needs --catalog-uri");
    Result secret = other.run("init", "--catalog", "rest", "--catalog-uri", server.uri(), "--catalog-property",
        "token=abc");
    assertThat(secret.code()).isEqualTo(2);
    assertThat(secret.err()).contains("--catalog-property token cannot be set here").doesNotContain("abc");
    Result down = other.run("init", "--catalog", "rest", "--catalog-uri", "http://127.0.0.1:9/nothing");
    assertThat(down.code()).isEqualTo(1);
    assertThat(down.err()).contains("Cannot open the lake catalog at http://127.0.0.1:9/nothing");
    assertThat(Files.exists(tmp.resolve("x/fanout.properties"))).isFalse();
  }

  @Test
  void aServerOnARestCatalogSyncsEverySnapshotAnotherEngineCommitsThere() throws Exception {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a"));
    jdbc.ok("init", "--cluster-name", "a");
    rest.ok("instance", "add", "a", "--db-url", "jdbc:h2:file:" + tmp.resolve("a/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("a/cluster").toString());
    rest.ok("sync-rule", "add", "--filter", "hist.*", "--to", "a");
    ServerSettings settings = ServerSettings.builder().port(0).workers(2).poll(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(5)).backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
        .grace(Duration.ofSeconds(5)).build();
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "page", Types.StringType.get()));
    try (Instance instance = Instance.open(new FanoutHome(rest.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, settings);
        RESTCatalog engine = engine()) {
      engine.createNamespace(Namespace.of("hist"));
      Table visits = engine.createTable(TableIdentifier.of("hist", "visits"), schema, PartitionSpec.unpartitioned());
      LakeTables.appendPageVisits(visits, 1, 100);
      LakeTables.awaitRows(jdbc, "hist.visits", 100);
      LakeTables.appendPageVisits(visits, 101, 150);
      LakeTables.awaitRows(jdbc, "hist.visits", 150);
    }
    assertThat(LakeTables.rows(jdbc.home(), "hist.visits")).isEqualTo(LakeTables.rows(rest.home(), "hist.visits"));
  }

  private static ServerSettings fast() {
    return ServerSettings.builder().port(0).workers(2).poll(Duration.ofMillis(100))
        .lease(Duration.ofSeconds(5)).backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
        .grace(Duration.ofSeconds(5)).build();
  }

  /** Waits until a copy stamped copy_finished after {@code since} there; the table is unknown until its first copy. */
  private static void awaitCopyFinished(FanoutCli instance, String table, java.time.Instant since)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (instance.run("wait", "--table", table, "--newer-than", since.toString(), "--timeout", "1s").code() != 0) {
      assertThat(System.nanoTime()).as("a copy of %s arrived within 60 s", table).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
