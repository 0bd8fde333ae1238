package dev.fanout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.testing.HiveMetastoreServer;
import dev.fanout.testing.RestCatalogServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real engine reads what Fanout makes: Spark SQL 3.5 with Iceberg's Spark runtime, its catalog configured as a
 * platform configures it for the instance's catalog type (README, "Where the tables land": the same properties),
 * reads every table an instance holds (a full import, an appending increment across schema drift: columns added at
 * the source between its increments, a lastmodified merge whose deleted rows are delete files, its history, a
 * mirrored table, and tables of every source type), and each holds the source's rows, value by value: on a jdbc
 * catalog in PostgreSQL, on a REST catalog and on a Hive Metastore 4.0.1; on a jdbc catalog in MariaDB (the mirror's origin), a full import
 * (and a table with an Iceberg time column, which Spark 3.5 refuses).
 * One Spark context for the class; each catalog setup gets a session of its own whose catalog is named
 * {@code fanout}, as a JdbcCatalog must be (it finds only the tables registered under its own name). Another
 * catalog type is one more test of a few lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSqlReadsFanoutTablesTest {
  private static final String SPARK_CATALOG = "spark.sql.catalog.fanout";

  @TempDir static Path tmp;
  private SparkSession spark;
  /** An instance (metadata and jdbc catalog on MariaDB) that mirrors one table to each instance under test. */
  private FanoutProcess origin;
  private MariaDb originSource;
  private MariaDb originMetadata;

  @BeforeAll
  void startSparkAndTheMirrorsOrigin() {
    originSource = new MariaDb();
    originSource.execute("CREATE TABLE visits (id BIGINT PRIMARY KEY, page VARCHAR(100), took DOUBLE, at DATETIME(3))",
        "INSERT INTO visits SELECT seq, CONCAT('/page/', seq MOD 17, IF(seq MOD 5 = 0, '/日本', '')),"
            + " IF(seq MOD 9 = 0, NULL, seq / 7), TIMESTAMP '2025-01-01 00:00:00' + INTERVAL seq * 61 SECOND"
            + " FROM seq_1_to_500",
        "CREATE TABLE clock (id INT PRIMARY KEY, tm TIME(6))", "INSERT INTO clock VALUES (1, '23:59:59.123456')");
    // the origin's metadata database, and so its jdbc catalog, is on MariaDB: a third catalog setup Spark reads
    originMetadata = new MariaDb();
    origin = new FanoutProcess(tmp.resolve("origin"));
    origin.ok("init", "--cluster-name", "origin", "--metadata-url", originMetadata.url(), "--metadata-user",
        originMetadata.user);
    origin.okWithStdin(originSource.password, "connection", "add", "src", "--url", originSource.url(), "--user",
        originSource.user, "--password-stdin");
    origin.ok("table", "add", "--connection", "src", "--source", originSource.name + ".visits", "--target", "mirror.visits");
    origin.ok("import", "--table", "mirror.visits");
    origin.ok("table", "add", "--connection", "src", "--source", originSource.name + ".clock", "--target",
        "mirror.clock_as_time", "--time-as", "time");
    origin.ok("import", "--table", "mirror.clock_as_time");

    spark = SparkSession.builder().master("local[2]").appName("fanout-tables-in-spark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        // rows as java.time values: dates and timestamps compare without a zone or calendar in between
        .config("spark.sql.datetime.java8API.enabled", "true")
        .getOrCreate();
  }

  @AfterAll
  void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
    for (MariaDb db : new MariaDb[] {originSource, originMetadata}) {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void sparkSqlReadsEveryTableFanoutMadeInAJdbcCatalogOnPostgreSql() {
    try (Postgres metadata = new Postgres()) {
      Path home = tmp.resolve("jdbc-pg");
      FanoutProcess fanout = new FanoutProcess(home);
      fanout.ok("init", "--cluster-name", "jdbc-pg", "--metadata-url", metadata.url(), "--metadata-user", metadata.user);
      Map<String, String> catalog = new LinkedHashMap<>();
      catalog.put("type", "jdbc");
      catalog.put("uri", metadata.url());
      catalog.put("jdbc.user", metadata.user);
      catalog.put("jdbc.password", metadata.password);
      // Fanout's catalog tables have Iceberg's V1 layout (tables and views)
      catalog.put("jdbc.schema-version", "V1");
      catalog.put("warehouse", home.resolve("cluster/warehouse").toUri().toString());
      everyTableFanoutMadeReadsAsItsSource(fanout, home, catalog,
          List.of("--db-url", metadata.url(), "--user", metadata.user));
    }
  }

  @Test
  void sparkSqlReadsATableFanoutMadeInAJdbcCatalogOnMariaDb() {
    Map<String, String> catalog = new LinkedHashMap<>();
    catalog.put("type", "jdbc");
    // without nullDatabaseMeansCurrent, Connector/J's metadata calls see every database's iceberg_tables on the server
    catalog.put("uri", originMetadata.url() + "?nullDatabaseMeansCurrent=true");
    catalog.put("jdbc.user", originMetadata.user);
    catalog.put("jdbc.password", originMetadata.password);
    catalog.put("jdbc.schema-version", "V1");
    catalog.put("warehouse", tmp.resolve("origin/cluster/warehouse").toUri().toString());
    SparkSession session = sessionFor(catalog);
    compareWithSource(session, "mirror.visits", originSource.url(), originSource.user, originSource.password, "visits");
    assertThat(tablesInCatalog(session)).containsExactly("mirror.clock_as_time", "mirror.visits");
    // what README says of --time-as time: Spark 3.5 refuses the whole table
    assertThatThrownBy(() -> session.sql("SELECT id FROM fanout.mirror.clock_as_time").collectAsList())
        .hasMessageContaining("Spark does not support time fields");

    // under another Spark name the same catalog is empty: a JdbcCatalog lists only the rows of its own name
    SparkSession renamed = spark.newSession();
    renamed.conf().set("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog");
    catalog.forEach((key, value) -> renamed.conf().set("spark.sql.catalog.lake." + key, value));
    assertThat(renamed.sql("SHOW NAMESPACES IN lake").collectAsList()).isEmpty();
  }

  @Test
  void sparkSqlReadsEveryTableFanoutMadeInARestCatalog() {
    try (RestCatalogServer server = RestCatalogServer.start(tmp.resolve("rest-server"), Path.of("target", "rest-catalog-logs"))) {
      Path home = tmp.resolve("rest");
      FanoutProcess fanout = new FanoutProcess(home);
      fanout.ok("init", "--cluster-name", "rest", "--catalog", "rest", "--catalog-uri", server.uri());
      Map<String, String> catalog = new LinkedHashMap<>();
      catalog.put("type", "rest");
      catalog.put("uri", server.uri());
      everyTableFanoutMadeReadsAsItsSource(fanout, home, catalog, List.of("--db-url",
          "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE", "--user", ""));
    }
  }

  @Test
  void sparkSqlReadsEveryTableFanoutMadeInAHiveMetastore() {
    try (HiveMetastoreServer metastore = HiveMetastoreServer.start(tmp.resolve("hive-server"),
        Path.of("target", "hive-metastore-logs"))) {
      Path home = tmp.resolve("hive");
      FanoutProcess fanout = new FanoutProcess(home);
      // through the launcher, as users run it: its class path, not this test's, must carry the metastore client
      fanout.ok("init", "--cluster-name", "hive", "--catalog", "hive", "--catalog-uri", metastore.uri());
      Map<String, String> catalog = new LinkedHashMap<>();
      catalog.put("type", "hive");
      catalog.put("uri", metastore.uri());
      everyTableFanoutMadeReadsAsItsSource(fanout, home, catalog, List.of("--db-url",
          "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE", "--user", ""));
    }
  }

  /**
   * Makes every kind of table on the instance {@code fanout} (home {@code home}), then reads each through a Spark
   * session whose catalog {@code fanout} has {@code catalog}'s properties, and compares it with its source.
   * {@code remoteArgs}: how another instance reaches this one's metadata database ({@code instance add}).
   */
  private void everyTableFanoutMadeReadsAsItsSource(FanoutProcess fanout, Path home, Map<String, String> catalog,
      List<String> remoteArgs) {
    try (MariaDb maria = new MariaDb(); Postgres pg = new Postgres()) {
      maria.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(12,2),"
              + " changed DATETIME(6) NOT NULL)",
          "INSERT INTO orders SELECT seq, IF(seq MOD 13 = 0, NULL, CONCAT('customer ', seq MOD 97, ' ✓')),"
              + " seq * 1.25 - 400, TIMESTAMP '2024-01-01 00:00:00.000001' + INTERVAL seq MINUTE FROM seq_1_to_1000",
          "CREATE TABLE events (id BIGINT PRIMARY KEY, kind VARCHAR(20), at TIMESTAMP(6) NULL, size INT UNSIGNED)",
          eventsFrom(1, 600, ""));
      maria.execute(EveryType.mariaDb("types"));
      pg.execute(EveryType.postgres("types"));

      fanout.okWithStdin(maria.password, "connection", "add", "maria", "--url", maria.url(), "--user", maria.user,
          "--password-stdin");
      fanout.okWithStdin(pg.password, "connection", "add", "pg", "--url", pg.url(), "--user", pg.user,
          "--password-stdin");
      String m = maria.name + ".";
      inTurn(fanout,
          List.of("table", "add", "--connection", "maria", "--source", m + "orders", "--target", "shop.full_orders"),
          List.of("table", "add", "--connection", "maria", "--source", m + "orders", "--target", "shop.merged_orders",
              "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "changed", "--etl", "merge",
              "--deletes", "detect", "--history"),
          List.of("table", "add", "--connection", "maria", "--source", m + "events", "--target", "shop.appended_events",
              "--import", "incr", "--incr-mode", "append", "--incr-column", "id"),
          List.of("table", "add", "--connection", "maria", "--source", m + "types", "--target", "types.mariadb"),
          List.of("table", "add", "--connection", "pg", "--source", "public.types", "--target", "types.postgres"));
      inTurn(fanout, imports("shop.full_orders", "shop.merged_orders", "shop.appended_events", "types.mariadb",
          "types.postgres"));
      SparkSession session = sessionFor(catalog);
      List<List<String>> ordersBefore = SameRows.atSource(maria.url(), maria.user, maria.password, "orders",
          sparkSchema(session, "shop.merged_orders"));

      // the second round: deletes, updates and new rows for the merge (deletes become delete files), a second
      // increment, a column added at the source
      maria.execute("DELETE FROM orders WHERE id <= 30 OR id MOD 50 = 0",
          "UPDATE orders SET amount = amount + 1, customer = 'moved', changed = '2031-01-01 00:00:00' WHERE id BETWEEN 100 AND 119",
          "INSERT INTO orders SELECT seq, CONCAT('new ', seq), seq / 3, TIMESTAMP '2031-01-02 00:00:00' + INTERVAL seq SECOND"
              + " FROM seq_1001_to_1100",
          // schema drift on the appending table: its older data files lack the new columns, which read as NULL
          "ALTER TABLE events ADD COLUMN note VARCHAR(30), ADD COLUMN since DATE",
          eventsFrom(601, 900, ", IF(seq MOD 3 = 0, NULL, CONCAT('note ', seq)), DATE '2020-02-29' + INTERVAL seq DAY"));
      inTurn(fanout, imports("shop.full_orders", "shop.merged_orders", "shop.appended_events"));
      origin.ok(withAll(List.of("instance", "add", home.getFileName().toString()), remoteArgs,
          List.of("--fs", "file:///", "--basedir", home.resolve("cluster").toString())));
      origin.ok("sync", "--table", "mirror.visits", "--to", home.getFileName().toString());

      // a fresh session: its catalog sees the tables as they are now
      session = sessionFor(catalog);
      Set<String> compared = new TreeSet<>();
      for (String table : List.of("shop.full_orders", "shop.merged_orders", "shop.appended_events")) {
        compareWithSource(session, table, maria.url(), maria.user, maria.password, sourceTable(table));
        compared.add(table);
      }
      compareWithSource(session, "types.mariadb", maria.url(), maria.user, maria.password, "types");
      compareWithSource(session, "types.postgres", pg.url(), pg.user, pg.password, "public.types");
      compareWithSource(session, "mirror.visits", originSource.url(), originSource.user, originSource.password, "visits");
      compared.addAll(List.of("types.mariadb", "types.postgres", "mirror.visits"));
      compareHistory(session, maria, ordersBefore);
      compared.add("shop.merged_orders_history");

      long deleteFiles = session.sql("SELECT * FROM fanout.shop.merged_orders.delete_files").count();
      assertThat(deleteFiles).as("the merge's deleted and updated rows are Iceberg delete files, which Spark honoured")
          .isPositive();
      assertThat(tablesInCatalog(session)).as("every table of the instance's catalog was compared").isEqualTo(compared);
    }
  }

  @SafeVarargs
  private static void inTurn(FanoutProcess fanout, List<String>... commands) {
    inTurn(fanout, List.of(commands));
  }

  /**
   * One command after another: two at once on an embedded metadata database (the REST instance's) can fail under load
   * with H2's "Lock file recently modified", and on two cores they are no faster.
   */
  private static void inTurn(FanoutProcess fanout, List<List<String>> commands) {
    commands.forEach(c -> fanout.ok(c.toArray(String[]::new)));
  }

  private static List<List<String>> imports(String... tables) {
    return java.util.Arrays.stream(tables).map(t -> List.of("import", "--table", t)).toList();
  }

  private static String sourceTable(String lakeTable) {
    return switch (lakeTable) {
      case "shop.full_orders", "shop.merged_orders" -> "orders";
      default -> "events";
    };
  }

  /** Rows {@code from..to} of events; {@code more}: the values of columns added since. */
  private static String eventsFrom(int from, int to, String more) {
    return "INSERT INTO events SELECT seq, ELT(1 + seq MOD 3, 'click', 'view', 'buy'),"
        + " IF(seq MOD 11 = 0, NULL, TIMESTAMP '2024-03-31 00:00:00.5' + INTERVAL seq * 97 SECOND), 4294967295 - seq"
        + more + " FROM seq_" + from + "_to_" + to;
  }

  /** A session on the shared Spark context whose catalog fanout has the given properties (as --conf sets them). */
  private SparkSession sessionFor(Map<String, String> catalog) {
    SparkSession session = spark.newSession();
    session.conf().set(SPARK_CATALOG, "org.apache.iceberg.spark.SparkCatalog");
    catalog.forEach((key, value) -> session.conf().set(SPARK_CATALOG + "." + key, value));
    return session;
  }

  private static StructType sparkSchema(SparkSession session, String table) {
    return session.table("fanout." + table).schema();
  }

  /** {@code SELECT * FROM fanout.<table>} holds the rows of the source table, value by value. */
  private static void compareWithSource(SparkSession session, String table, String url, String user, String password,
      String sourceTable) {
    Dataset<Row> read = session.sql("SELECT * FROM fanout." + table);
    List<String> spark = lines(SameRows.of(read.collectAsList(), read.schema()));
    List<String> source = lines(SameRows.atSource(url, user, password, sourceTable, read.schema()));
    SameRows.assertSame(table, spark, source, "the source query " + sourceTable);
  }

  /**
   * The history holds each row of the first import (I), each key deleted since with its old values (D), each
   * changed row with its new values (U) and each new one (I); its import time is left out.
   */
  private static void compareHistory(SparkSession session, MariaDb maria, List<List<String>> before) {
    Dataset<Row> read = session.sql("SELECT * FROM fanout.shop.merged_orders_history");
    StructType all = read.schema();
    assertThat(all.fieldNames()).endsWith("datalake_iud", "datalake_timestamp");
    List<String> spark = SameRows.of(read.collectAsList(), all).stream()
        .map(r -> SameRows.line(r.subList(0, r.size() - 1))).toList();
    StructType data = new StructType(java.util.Arrays.copyOf(all.fields(), all.fields().length - 2, StructField[].class));
    Map<String, String> old = byKey(before);
    Map<String, String> now = byKey(SameRows.atSource(maria.url(), maria.user, maria.password, "orders", data));
    List<String> expected = new ArrayList<>();
    old.values().forEach(r -> expected.add(r + ", datalake_iud='I'"));
    old.forEach((key, row) -> {
      if (!now.containsKey(key)) {
        expected.add(row + ", datalake_iud='D'");
      } else if (!now.get(key).equals(row)) {
        expected.add(now.get(key) + ", datalake_iud='U'");
      }
    });
    now.forEach((key, row) -> {
      if (!old.containsKey(key)) {
        expected.add(row + ", datalake_iud='I'");
      }
    });
    SameRows.assertSame("shop.merged_orders_history", spark, expected, "the row versions of the source's two states");
  }

  private static Map<String, String> byKey(List<List<String>> rows) {
    return rows.stream().collect(Collectors.toMap(r -> r.get(0), SameRows::line));
  }

  private static List<String> lines(List<List<String>> rows) {
    return rows.stream().map(SameRows::line).toList();
  }

  /** Every table of the catalog, as {@code db.table}, as Spark lists them. */
  private static Set<String> tablesInCatalog(SparkSession session) {
    Set<String> out = new TreeSet<>();
    for (Row ns : session.sql("SHOW NAMESPACES IN fanout").collectAsList()) {
      for (Row t : session.sql("SHOW TABLES IN fanout." + ns.getString(0)).collectAsList()) {
        out.add(ns.getString(0) + "." + t.getString(1));
      }
    }
    return out;
  }

  @SafeVarargs
  private static String[] withAll(List<String>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toArray(String[]::new);
  }
}
