package dev.fanout.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.replication.Backoff;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.testing.CommitConflicts;
import dev.fanout.testing.CopyJobs;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.HiveEngine;
import dev.fanout.testing.HiveMetastoreServer;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.RestCatalogServer;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hive.HiveCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose lake catalog is a Hive Metastore (4.0.1, in a process of its own) through Iceberg's
 * HiveCatalog: imports land there as Iceberg tables that any engine on the metastore reads, and copies, mirrors
 * and verify work between it and instances on the JDBC and REST catalogs.
 */
class HiveCatalogTest {
  private static final Path LOGS = Path.of("target", "hive-metastore-logs");
  @TempDir Path tmp;
  private HiveMetastoreServer metastore;
  private TestDatabase source;
  private FanoutCli hive;

  @BeforeEach
  void setUp() {
    metastore = HiveMetastoreServer.start(tmp.resolve("metastore"), LOGS);
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2))");
    source.execute("INSERT INTO orders SELECT seq, CONCAT('customer ', seq MOD 7), seq + 0.25 FROM seq_1_to_300");
    hive = new FanoutCli(tmp.resolve("h"));
    Result init = hive.run("init", "--cluster-name", "h", "--catalog", "hive", "--catalog-uri", metastore.uri());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).contains("catalog:  hive (Iceberg's HiveCatalog) at " + metastore.uri());
    assertThat(hive.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
  }

  @AfterEach
  void tearDown() {
    source.close();
    metastore.close();
  }

  @Test
  void importsOfEveryEtlModeLandInTheMetastoreAsIcebergTablesThatAnEngineReads() throws Exception {
    String from = source.schema() + ".orders";
    hive.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.full");
    hive.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.appended",
        "--import", "incr", "--incr-column", "id");
    hive.ok("table", "add", "--connection", "src", "--source", from, "--target", "sales.merged",
        "--etl", "merge", "--deletes", "detect", "--history");
    for (String t : List.of("sales.full", "sales.appended", "sales.merged")) {
      hive.ok("import", "--table", t);
    }
    source.execute("DELETE FROM orders WHERE id <= 10", "UPDATE orders SET amount = 1 WHERE id = 100",
        "INSERT INTO orders VALUES (301, 'new', 3.5)");
    for (String t : List.of("sales.full", "sales.appended", "sales.merged")) {
      hive.ok("import", "--table", t);
    }

    assertThat(LakeTables.rows(hive.home(), "sales.full")).hasSize(291);
    assertThat(LakeTables.rows(hive.home(), "sales.appended")).hasSize(301);
    assertThat(LakeTables.rows(hive.home(), "sales.merged")).hasSize(291);
    Result verify = hive.run("verify", "--table", "sales.merged", "--source");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

    try (HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
      assertThat(engine.listTables(Namespace.of("sales"))).extracting(TableIdentifier::name)
          .containsExactlyInAnyOrder("full", "appended", "merged", "merged_history");
      for (String t : List.of("full", "appended", "merged")) {
        Table table = engine.loadTable(TableIdentifier.of("sales", t));
        assertThat(LakeTables.rows(table)).as(t).isEqualTo(LakeTables.rows(hive.home(), "sales." + t));
        // what the metastore itself holds: an Iceberg table pointing at the current metadata file
        assertThat(HiveEngine.tableParameters(metastore.uri(), "sales", t)).as(t)
            .containsEntry("table_type", "ICEBERG")
            .containsEntry("metadata_location", ((HasTableOperations) table).operations().current()
                .metadataFileLocation());
        assertThat(table.location()).as(t).startsWith(tmp.resolve("h").toUri().toString().replaceFirst("^file:///", "file:/"));
      }
      assertThat(engine.loadTable(TableIdentifier.of("sales", "merged")).currentSnapshot().summary())
          .containsEntry("fanout.deleted-rows", "10");
    }
  }

  @Test
  void aJdbcInstanceCopiesToAHiveInstanceAndVerifyComparesThem() throws IOException {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    addRemote(jdbc, "h", hive);
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--etl", "merge", "--deletes", "detect");
    jdbc.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "h", "--transfer", "sync");
    jdbc.ok("import", "--table", "sales.orders");
    hive.ok("import", "--table", "sales.orders");
    assertThat(LakeTables.rows(hive.home(), "sales.orders")).isEqualTo(LakeTables.rows(jdbc.home(), "sales.orders"));
    assertThat(jdbc.ok("verify", "--table", "sales.orders")).contains("on h: 300 rows").contains("All 2 agree.");
    try (HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
      assertThat(LakeTables.rows(engine.loadTable(TableIdentifier.of("sales", "orders")))).hasSize(300);
    }
  }

  @Test
  void aTableMirrorsFromAHiveInstanceToARestInstanceAndBack() {
    try (RestCatalogServer restServer = RestCatalogServer.start(tmp.resolve("rest-server"),
        Path.of("target", "rest-catalog-logs"))) {
      FanoutCli rest = new FanoutCli(tmp.resolve("r"));
      rest.ok("init", "--cluster-name", "r", "--catalog", "rest", "--catalog-uri", restServer.uri());
      addRemote(hive, "r", rest);
      addRemote(rest, "h", hive);
      hive.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "hr.mirrored");
      hive.ok("import", "--table", "hr.mirrored");
      hive.ok("sync", "--table", "hr.mirrored", "--to", "r");
      assertThat(LakeTables.rows(rest.home(), "hr.mirrored")).isEqualTo(LakeTables.rows(hive.home(), "hr.mirrored"));
      assertThat(hive.ok("verify", "--table", "hr.mirrored", "--instances", "h,r")).contains("All 2 agree.");

      // and a table that only the REST instance has, mirrored into the metastore
      LakeTables.appendPageVisits(createVisits(restServer), 1, 40);
      rest.ok("sync", "--table", "hist.visits", "--to", "h");
      assertThat(LakeTables.rows(hive.home(), "hist.visits")).hasSize(40)
          .isEqualTo(LakeTables.rows(rest.home(), "hist.visits"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aServerOnAHiveCatalogSyncsEverySnapshotAnotherEngineCommitsThere() throws Exception {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a"));
    jdbc.ok("init", "--cluster-name", "a");
    addRemote(hive, "a", jdbc);
    hive.ok("sync-rule", "add", "--filter", "hist.*", "--to", "a");
    try (Instance instance = Instance.open(new FanoutHome(hive.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, fastServer());
        HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
      engine.createNamespace(Namespace.of("hist"));
      Table visits = engine.createTable(TableIdentifier.of("hist", "visits"), visitsSchema(), PartitionSpec.unpartitioned());
      LakeTables.appendPageVisits(visits, 1, 100);
      LakeTables.awaitRows(jdbc, "hist.visits", 100);
      LakeTables.appendPageVisits(visits, 101, 150);
      LakeTables.awaitRows(jdbc, "hist.visits", 150);
    }
    assertThat(LakeTables.rows(jdbc.home(), "hist.visits")).isEqualTo(LakeTables.rows(hive.home(), "hist.visits"));
  }

  @Test
  void aServerDeliversAnAsyncCopyFromAJdbcInstanceThatTheHiveInstanceLoads() throws Exception {
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    addRemote(jdbc, "h", hive);
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "id");
    jdbc.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "h");
    try (Instance instance = Instance.open(new FanoutHome(jdbc.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, fastServer())) {
      assertThat(jdbc.ok("import", "--table", "sales.orders")).contains("Queued the copy");
      CopyJobs.await(jdbc, CopyJobs.allDone(1), Duration.ofSeconds(60), "the copy to h");
      source.execute("INSERT INTO orders SELECT seq, 'later', 1 FROM seq_301_to_350");
      jdbc.ok("import", "--table", "sales.orders");
      CopyJobs.await(jdbc, CopyJobs.allDone(2), Duration.ofSeconds(60), "the second copy to h");
    }
    hive.ok("import", "--table", "sales.orders");
    assertThat(LakeTables.rows(hive.home(), "sales.orders")).hasSize(350)
        .isEqualTo(LakeTables.rows(jdbc.home(), "sales.orders"));
    try (HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
      assertThat(LakeTables.rows(engine.loadTable(TableIdentifier.of("sales", "orders")))).hasSize(350);
    }
  }

  @Test
  void aHiveInstanceFailsOverToARestInstanceAndBackWithoutLosingAnIncrement() throws Exception {
    try (RestCatalogServer restServer = RestCatalogServer.start(tmp.resolve("rest-server"),
        Path.of("target", "rest-catalog-logs"))) {
      FanoutCli rest = new FanoutCli(tmp.resolve("r"));
      rest.ok("init", "--cluster-name", "r", "--catalog", "rest", "--catalog-uri", restServer.uri());
      hive.ok("instance", "add", "r", "--db-url", "jdbc:h2:file:" + rest.home().resolve("metadata/fanout")
          + ";AUTO_SERVER=TRUE", "--user", "", "--fs", "file:///", "--basedir", rest.home().resolve("cluster").toString(),
          "--remote-key-file", rest.home().resolve("fanout.key").toString());
      hive.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target",
          "sales.orders", "--import", "incr", "--incr-column", "id", "--etl", "merge", "--sessions", "1");
      hive.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "r");
      try (Instance instanceH = Instance.open(new FanoutHome(hive.home()), Cluster.defaultConfiguration(), false);
          Instance instanceR = Instance.open(new FanoutHome(rest.home()), Cluster.defaultConfiguration(), false);
          FanoutServer serverH = FanoutServer.start(instanceH, fastServer());
          FanoutServer serverR = FanoutServer.start(instanceR, fastServer())) {
        hive.ok("import", "--table", "sales.orders");
        CopyJobs.await(hive, CopyJobs.allDone(1), Duration.ofSeconds(60), "the first copy to r");
        rest.ok("import", "--table", "sales.orders");

        assertThat(hive.ok("failover", "--filter", "sales.*", "--to", "r")).contains("Failed over 1 table(s) to r.");
        source.execute("INSERT INTO orders SELECT seq, 'during failover', 2 FROM seq_301_to_400");
        assertThat(rest.ok("import", "--table", "sales.orders")).contains("loaded");
        CopyJobs.await(rest, CopyJobs.allDone(1), Duration.ofSeconds(60), "the copy back to h");

        assertThat(hive.ok("failback", "--filter", "sales.*", "--wait")).contains("Failed back 1 table(s) from r.");
        source.execute("INSERT INTO orders SELECT seq, 'after failback', 3 FROM seq_401_to_450");
        hive.ok("import", "--table", "sales.orders");
        CopyJobs.await(hive, CopyJobs.allDone(2), Duration.ofSeconds(60), "the copy to r after the failback");
        rest.ok("import", "--table", "sales.orders");
      }
      assertThat(hive.ok("verify", "--table", "sales.orders", "--source")).contains("on h: 450 rows")
          .contains("on r: 450 rows").contains("on source: 450 rows").contains("All 3 agree.");
      try (HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
        assertThat(LakeTables.rows(engine.loadTable(TableIdentifier.of("sales", "orders")))).hasSize(450);
      }
    }
  }

  @Test
  void anotherEngineCommittingToTheSameTablesWhileFanoutImportsNeverLeavesHalfAnImport() throws Exception {
    try (HiveCatalog engine = HiveEngine.catalog(metastore, "other-writer")) {
      CommitConflicts.importWhileAnotherWriterCommits(hive, source, engine);
    }
  }

  @Test
  void aSourceColumnAddedAndWidenedReachesTheMetastoreTable() throws Exception {
    source.execute("CREATE TABLE stock (id INT PRIMARY KEY, qty INT, price DECIMAL(10,2))",
        "INSERT INTO stock SELECT seq, seq MOD 9, seq + 0.5 FROM seq_1_to_50");
    hive.ok("table", "add", "--connection", "src", "--source", source.schema() + ".stock", "--target", "shop.stock");
    hive.ok("import", "--table", "shop.stock");
    // the metastore's own check of column type changes is on by default in Hive 4; these widenings pass it
    source.execute("ALTER TABLE stock MODIFY qty BIGINT, MODIFY price DECIMAL(14,2), ADD COLUMN note VARCHAR(20)",
        "INSERT INTO stock VALUES (51, 10000000000, 123456789.25, 'big')");
    hive.ok("import", "--table", "shop.stock");
    try (HiveCatalog engine = HiveEngine.catalog(metastore, "engine")) {
      Table stock = engine.loadTable(TableIdentifier.of("shop", "stock"));
      assertThat(stock.schema().findField("qty").type()).isEqualTo(Types.LongType.get());
      assertThat(stock.schema().findField("price").type()).isEqualTo(Types.DecimalType.of(14, 2));
      assertThat(LakeTables.rows(stock)).hasSize(51).last().isEqualTo(List.of(51, 10000000000L,
          new java.math.BigDecimal("123456789.25"), "big"));
    }
    assertThat(HiveEngine.columns(metastore.uri(), "shop", "stock"))
        .containsExactly("id int", "qty bigint", "price decimal(14,2)", "note string");
  }

  @Test
  void anImportWhileTheMetastoreIsDownFailsWithOneSentenceAndTheNextOneLoads() {
    hive.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    hive.ok("import", "--table", "sales.orders");
    String uri = metastore.uri();
    metastore.close();
    Result down = hive.run("import", "--table", "sales.orders");
    assertThat(down.code()).as(down.err()).isEqualTo(1);
    assertThat(down.err()).startsWith("fanout: Cannot reach the Hive Metastore at " + uri + ": ");
    assertThat(down.err().strip().lines()).hasSize(1);

    metastore = HiveMetastoreServer.restart(metastore);
    hive.ok("import", "--table", "sales.orders");
    assertThat(LakeTables.rows(hive.home(), "sales.orders")).hasSize(300);
  }

  @Test
  void aHiveChoiceThatCannotWorkIsOneSentenceAndCreatesNothing() {
    FanoutCli other = new FanoutCli(tmp.resolve("x"));
    Result noUri = other.run("init", "--catalog", "hive");
    assertThat(noUri.code()).isEqualTo(2);
    assertThat(noUri.err().strip())
        .isEqualTo("fanout: --catalog hive needs --catalog-uri thrift://HOST:PORT (the Hive Metastore's address).");
    Result http = other.run("init", "--catalog", "hive", "--catalog-uri", "http://127.0.0.1:9083");
    assertThat(http.code()).isEqualTo(2);
    assertThat(http.err().strip()).isEqualTo("fanout: --catalog hive needs --catalog-uri thrift://HOST:PORT (the Hive"
        + " Metastore's address), not 'http://127.0.0.1:9083'.");
    Result warehouse = other.run("init", "--catalog", "hive", "--catalog-uri", metastore.uri(), "--catalog-property",
        "warehouse=/elsewhere");
    assertThat(warehouse.code()).isEqualTo(2);
    assertThat(warehouse.err()).contains("--catalog-property warehouse cannot be set for --catalog hive");
    Result down = other.run("init", "--catalog", "hive", "--catalog-uri", "thrift://127.0.0.1:9");
    assertThat(down.code()).as(down.err()).isEqualTo(1);
    assertThat(down.err().strip())
        .isEqualTo("fanout: Cannot reach the Hive Metastore at thrift://127.0.0.1:9: Connection refused.");
    assertThat(Files.exists(tmp.resolve("x/fanout.properties"))).isFalse();
  }

  private void addRemote(FanoutCli from, String name, FanoutCli to) {
    from.ok("instance", "add", name, "--db-url", "jdbc:h2:file:" + to.home().resolve("metadata/fanout")
        + ";AUTO_SERVER=TRUE", "--user", "", "--fs", "file:///", "--basedir", to.home().resolve("cluster").toString());
  }

  private static Schema visitsSchema() {
    return new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "page", Types.StringType.get()));
  }

  private static Table createVisits(RestCatalogServer server) {
    org.apache.iceberg.rest.RESTCatalog engine = new org.apache.iceberg.rest.RESTCatalog();
    engine.setConf(new org.apache.hadoop.conf.Configuration());
    engine.initialize("engine", java.util.Map.of("uri", server.uri(), "io-impl", "org.apache.iceberg.hadoop.HadoopFileIO"));
    engine.createNamespace(Namespace.of("hist"));
    return engine.createTable(TableIdentifier.of("hist", "visits"), visitsSchema(), PartitionSpec.unpartitioned());
  }

  private static ServerSettings fastServer() {
    return ServerSettings.builder().port(0).workers(2).poll(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(5)).backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
        .grace(Duration.ofSeconds(5)).build();
  }
}
