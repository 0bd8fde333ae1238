package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.SourceQueryLog;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DBImport's merge import methods: a full merge that sees rows deleted at the source ({@code --deletes
 * detect}), rewrites only what changed, and keeps every row version in {@code <table>_history}
 * ({@code --history}).
 */
class MergeWithDeletesTest {
  @TempDir Path tmp;

  private TestDatabase source(Kind kind) {
    TestDatabase db = TestDatabase.create(kind, tmp);
    db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2))");
    return db;
  }

  private static void insertOrders(TestDatabase db, int from, int to) {
    StringBuilder sql = new StringBuilder("INSERT INTO orders VALUES ");
    for (int i = from; i <= to; i++) {
      sql.append(i == from ? "" : ",").append("(").append(i).append(", 'customer ").append(i).append("', ")
          .append(i).append(".25)");
    }
    db.execute(sql.toString());
  }

  private FanoutCli fanoutWith(TestDatabase db, String... modes) {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
    List<String> add = new ArrayList<>(List.of("table", "add", "--connection", "src", "--source",
        db.schema() + ".orders", "--target", "sales.orders", "--etl", "merge"));
    add.addAll(List.of(modes));
    fanout.ok(add.toArray(String[]::new));
    return fanout;
  }

  /** Source rows as (id, customer, amount) in id order, as the lake must hold them. */
  private static List<List<Object>> sourceRows(TestDatabase db) {
    return db.query("SELECT id, customer, amount FROM orders ORDER BY id").stream()
        .map(r -> List.<Object>of(((Number) r.get(0)).longValue(), String.valueOf(r.get(1)),
            ((BigDecimal) r.get(2)).stripTrailingZeros()))
        .toList();
  }

  private static List<List<Object>> lakeRows(FanoutCli fanout) {
    return LakeTables.rows(fanout.home(), "sales.orders").stream()
        .map(r -> List.<Object>of(r.get(0), String.valueOf(r.get(1)), ((BigDecimal) r.get(2)).stripTrailingZeros()))
        .toList();
  }

  /** The history as "id operation customer", ordered by key, then by the import that wrote each version. */
  private static List<String> history(FanoutCli fanout, String table) {
    return LakeTables.rows(fanout.home(), table).stream()
        .sorted(Comparator.<List<Object>, Long>comparing(r -> (Long) r.get(0))
            .thenComparing(r -> (OffsetDateTime) r.get(r.size() - 1)))
        .map(r -> r.get(0) + " " + r.get(r.size() - 2) + " " + r.get(1))
        .toList();
  }

  private static List<Path> filesEndingWith(FanoutCli fanout, String suffix) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(fanout.home())) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
    }
  }

  private static Map<String, String> lastCommit(FanoutCli fanout) {
    try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
      Snapshot current = LakeTables.table(instance, "sales.orders").currentSnapshot();
      return current.summary();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void aFullMergeThatDetectsDeletesLeavesExactlyTheSourceRowsAndRewritesOnlyWhatChanged(Kind kind) throws Exception {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 200);
      FanoutCli fanout = fanoutWith(db, "--deletes", "detect");
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("200 new, 0 changed, 0 deleted, 0 unchanged");

      assertThat(fanout.ok("import", "--table", "sales.orders"))
          .as("nothing changed at the source").contains("0 new, 0 changed, 0 deleted, 200 unchanged");
      assertThat(lastCommit(fanout)).doesNotContainKeys("added-data-files", "added-delete-files");
      assertThat(filesEndingWith(fanout, "-changes.parquet")).as("the no-op merge leaves no file behind").hasSize(1);
      assertThat(filesEndingWith(fanout, "-keys.parquet")).isEmpty();

      db.execute("DELETE FROM orders WHERE id <= 20");
      db.execute("UPDATE orders SET amount = 1.50 WHERE id IN (50, 60, 70, 80, 90)");
      insertOrders(db, 201, 203);
      assertThat(fanout.ok("import", "--table", "sales.orders"))
          .contains("3 new, 5 changed, 20 deleted, 175 unchanged").contains("table has 183 rows");
      assertThat(lastCommit(fanout)).containsEntry("added-records", "8");
      assertThat(lakeRows(fanout)).isEqualTo(sourceRows(db));
      Result verify = fanout.run("verify", "--table", "sales.orders", "--source");
      assertThat(verify.code()).as(verify.out() + verify.err()).isZero();

      db.execute("DELETE FROM orders");
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("0 new, 0 changed, 183 deleted");
      assertThat(lakeRows(fanout)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void theHistoryHoldsEveryVersionOfEveryKeyAcrossThreeImports(Kind kind) {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 3);
      FanoutCli fanout = fanoutWith(db, "--deletes", "detect", "--history");
      fanout.ok("import", "--table", "sales.orders");

      db.execute("UPDATE orders SET customer = NULL WHERE id = 2"); // only change: a value becomes NULL
      db.execute("DELETE FROM orders WHERE id = 3");
      fanout.ok("import", "--table", "sales.orders");

      db.execute("UPDATE orders SET customer = '' WHERE id = 2"); // NULL becomes empty: a change too
      db.execute("INSERT INTO orders VALUES (3, 'back again', 3.25)");
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("1 new, 1 changed, 0 deleted, 1 unchanged");

      assertThat(history(fanout, "sales.orders_history")).containsExactly(
          "1 I customer 1",
          "2 I customer 2",
          "2 U null",
          "2 U ",
          "3 I customer 3",
          "3 D customer 3",
          "3 I back again");
      assertThat(lakeRows(fanout)).isEqualTo(sourceRows(db));
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void aCompositeKeyIsMatchedOnAllItsColumns(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      db.execute("CREATE TABLE stock (region VARCHAR(10), item INT, qty INT, PRIMARY KEY (region, item))");
      db.execute("INSERT INTO stock VALUES ('eu', 1, 10), ('us', 1, 20), ('eu', 2, 30)");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".stock", "--target", "inv.stock",
          "--etl", "merge", "--deletes", "detect", "--history");
      fanout.ok("import", "--table", "inv.stock");

      db.execute("DELETE FROM stock WHERE region = 'eu' AND item = 1");
      db.execute("UPDATE stock SET qty = 21 WHERE region = 'us' AND item = 1");
      assertThat(fanout.ok("import", "--table", "inv.stock")).contains("0 new, 1 changed, 1 deleted, 1 unchanged");

      assertThat(LakeTables.rows(fanout.home(), "inv.stock").stream().map(r -> r.subList(0, 3).toString()))
          .containsExactlyInAnyOrder("[eu, 2, 30]", "[us, 1, 21]");
      assertThat(LakeTables.rows(fanout.home(), "inv.stock_history").stream()
          .map(r -> r.get(0) + "/" + r.get(1) + " " + r.get(3) + " " + r.get(2)))
          .containsExactlyInAnyOrder("eu/1 I 10", "us/1 I 20", "eu/2 I 30", "eu/1 D 10", "us/1 U 21");
    }
  }

  @Test
  void deleteDetectionAndHistoryAskForAMerge() {
    try (TestDatabase db = source(Kind.MARIADB)) {
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      Result noMerge = fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".orders",
          "--target", "sales.orders", "--history");
      assertThat(noMerge.code()).as("a bad command line").isEqualTo(2);
      assertThat(noMerge.err()).contains("work with a merge: add --etl merge");
      Result unknown = fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".orders",
          "--target", "sales.orders", "--etl", "merge", "--deletes", "sometimes");
      assertThat(unknown.err()).contains("Unknown delete handling 'sometimes'; use one of: none, detect.");
      assertThat(fanout.ok("table", "list")).doesNotContain("sales.orders");
    }
  }

  @Test
  void aCopySlaveLoadsTheSameTableAndHistoryAndVerifyAgrees() {
    try (TestDatabase db = source(Kind.MARIADB)) {
      insertOrders(db, 1, 100);
      FanoutCli a = fanoutWith(db, "--deletes", "detect", "--history");
      FanoutCli b = new FanoutCli(tmp.resolve("b"));
      b.ok("init", "--cluster-name", "b");
      a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
          "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
      a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "sync");
      a.ok("import", "--table", "sales.orders");
      b.ok("import", "--table", "sales.orders");

      db.execute("DELETE FROM orders WHERE id BETWEEN 10 AND 14");
      db.execute("UPDATE orders SET customer = 'moved' WHERE id = 50");
      a.ok("import", "--table", "sales.orders");
      assertThat(b.ok("import", "--table", "sales.orders")).contains("0 new, 1 changed, 5 deleted, 94 unchanged");

      assertThat(lakeRows(b)).isEqualTo(sourceRows(db)).isEqualTo(lakeRows(a));
      assertThat(history(b, "sales.orders_history")).hasSize(106).isEqualTo(history(a, "sales.orders_history"));
      for (String table : List.of("sales.orders", "sales.orders_history")) {
        Result verify = a.run("verify", "--table", table);
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
      }
    }
  }

  @Test
  void aColumnAddedAtTheSourceReachesTheHistoryToo() {
    try (TestDatabase db = source(Kind.POSTGRES)) {
      insertOrders(db, 1, 3);
      FanoutCli fanout = fanoutWith(db, "--history");
      fanout.ok("import", "--table", "sales.orders");
      db.execute("ALTER TABLE orders ADD COLUMN note VARCHAR(20)");
      db.execute("UPDATE orders SET note = 'gift' WHERE id = 2");
      fanout.ok("import", "--table", "sales.orders");

      List<List<Object>> history = LakeTables.rows(fanout.home(), "sales.orders_history");
      try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
        assertThat(LakeTables.table(instance, "sales.orders_history").schema().findField("note")).isNotNull();
      }
      assertThat(history.stream().filter(r -> r.contains("gift")).toList()).hasSize(1);
      assertThat(history.stream().filter(r -> "U".equals(r.get(r.size() - 2))).toList())
          .as("a new column changes only the rows that have a value in it").hasSize(1);
      assertThat(history.get(0)).as("the audit columns stay last").hasSize(6).element(4).isEqualTo("I");
    }
  }

  @Test
  void anImportKilledBetweenItsHistoryAndItsTableWritesEachVersionOnceOnItsRerun() throws Exception {
    try (TestDatabase db = source(Kind.MARIADB); TestDatabase metadata = TestDatabase.create(Kind.MARIADB, tmp)) {
      insertOrders(db, 1, 50);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
      Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(),
          "--metadata-user", metadata.user(), "--metadata-password-stdin");
      assertThat(init.code()).as(init.err()).isZero();
      assertThat(fanout.runWithStdin(db.password(), "connection", "add", "src", "--url", db.url(), "--user",
          db.user(), "--password-stdin").code()).isZero();
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--etl", "merge", "--deletes", "detect", "--history");
      fanout.ok("import", "--table", "sales.orders");

      db.execute("DELETE FROM orders WHERE id <= 5");
      db.execute("UPDATE orders SET amount = 0.50 WHERE id = 40");
      // the catalog holds the main table's commit (and then refuses it), so kill -9 lands after the history's
      metadata.execute("CREATE TRIGGER hold_main_commit BEFORE UPDATE ON iceberg_tables FOR EACH ROW BEGIN"
          + " IF NEW.table_name = 'orders' THEN DO SLEEP(20); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'held';"
          + " END IF; END");
      Process importing = startImport(fanout.home(), tmp.resolve("import.err"));
      try {
        awaitHeldCommit(metadata, importing);
        importing.destroyForcibly(); // SIGKILL
        importing.waitFor();
      } finally {
        importing.destroyForcibly();
      }
      assertThat(history(fanout, "sales.orders_history")).as("the history was committed").hasSize(56);
      assertThat(lakeRows(fanout)).as("the table was not").hasSize(50);
      metadata.execute("DROP TRIGGER hold_main_commit");
      Thread.sleep(2500); // the killed import's 2 s lease runs out

      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("Resuming the load of staged import");

      assertThat(lakeRows(fanout)).isEqualTo(sourceRows(db));
      List<String> history = history(fanout, "sales.orders_history");
      assertThat(history).hasSize(56).doesNotHaveDuplicates();
      assertThat(history).contains("1 D customer 1", "40 U customer 40");
    }
  }

  private static Process startImport(Path home, Path err) throws java.io.IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.fanout.cli.Main", "--home", home.toString(), "import", "--table", "sales.orders")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    pb.environment().put("FANOUT_LEASE_SECONDS", "2");
    return pb.start();
  }

  /** Waits until the import's commit of the main table sleeps in the catalog's trigger. */
  private static void awaitHeldCommit(TestDatabase metadata, Process p) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      if (!metadata.query("SELECT 1 FROM information_schema.PROCESSLIST WHERE STATE = 'User sleep' AND DB = '"
          + metadata.schema() + "'").isEmpty()) {
        return;
      }
      assertThat(p.isAlive()).as("the import ended before its main commit").isTrue();
      Thread.sleep(25);
    }
    throw new AssertionError("the import did not reach its main commit within 30 s");
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void anIncrementalMergeFindsDeletedKeysByReadingOnlyTheKeyColumn(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2),"
          + " updated_at TIMESTAMP(6) NULL)");
      db.execute("INSERT INTO orders VALUES (1, 'one', 1.25, TIMESTAMP '2026-01-01 00:00:00'),"
          + " (2, 'two', 2.25, TIMESTAMP '2026-01-01 00:00:00'), (3, 'three', 3.25, TIMESTAMP '2026-01-01 00:00:00'),"
          + " (4, 'four', 4.25, TIMESTAMP '2026-01-01 00:00:00')");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "updated_at", "--etl", "merge",
          "--deletes", "detect", "--history");
      fanout.ok("import", "--table", "sales.orders");

      db.execute("DELETE FROM orders WHERE id IN (1, 3)");
      db.execute("UPDATE orders SET customer = 'TWO', updated_at = TIMESTAMP '2026-02-01 00:00:00' WHERE id = 2");
      SourceQueryLog log = kind == Kind.MARIADB ? SourceQueryLog.start(db) : null; // MariaDB's log shows the SELECTs
      try {
        assertThat(fanout.ok("import", "--table", "sales.orders"))
            .contains("Read 2 keys of").contains("0 new, 1 changed, 2 deleted, 0 unchanged").contains("table has 2 rows");
        if (log != null) {
          assertThat(log.dataReadStatements("orders")).as("the rows of the increment, then the keys of all rows")
              .hasSize(2).anySatisfy(sql -> assertThat(sql).containsIgnoringCase("customer"))
              .anySatisfy(sql -> assertThat(sql).startsWith("SELECT `id` FROM").doesNotContainIgnoringCase("customer"));
        }
      } finally {
        if (log != null) {
          log.close();
        }
      }
      assertThat(LakeTables.rows(fanout.home(), "sales.orders").stream().map(r -> r.get(0) + " " + r.get(1)))
          .containsExactly("2 TWO", "4 four");
      assertThat(history(fanout, "sales.orders_history")).containsExactly(
          "1 I one", "1 D one", "2 I two", "2 U TWO", "3 I three", "3 D three", "4 I four");
    }
  }
}
