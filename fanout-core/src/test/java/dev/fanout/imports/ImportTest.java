package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a user sees after full, incremental and merge imports: the lake table equals the source. */
class ImportTest {
  @TempDir Path tmp;

  private TestDatabase source(Kind kind) {
    TestDatabase db = TestDatabase.create(kind, tmp);
    db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(50), amount DECIMAL(10,2),"
        + " updated_at TIMESTAMP(6) NULL)");
    return db;
  }

  private static void insertOrders(TestDatabase db, int from, int to) {
    StringBuilder sql = new StringBuilder("INSERT INTO orders VALUES ");
    for (int i = from; i <= to; i++) {
      sql.append(i == from ? "" : ",").append("(").append(i).append(", 'customer ").append(i % 17).append("', ")
          .append(i).append(".25, TIMESTAMP '2026-01-01 00:00:00')");
    }
    db.execute(sql.toString());
  }

  private static List<List<Object>> sourceRows(TestDatabase db) {
    return db.query("SELECT id, customer, amount FROM orders ORDER BY id");
  }

  private static List<List<Object>> lakeRows(FanoutCli fanout) {
    return LakeTables.rows(fanout.home(), "sales.orders").stream().map(r -> r.subList(0, 3)).toList();
  }

  private static void assertSameRows(List<List<Object>> source, List<List<Object>> lake) {
    assertThat(lake).hasSize(source.size());
    for (int i = 0; i < source.size(); i++) {
      assertThat(((Number) lake.get(i).get(0)).longValue()).isEqualTo(((Number) source.get(i).get(0)).longValue());
      assertThat(lake.get(i).get(1)).hasToString(String.valueOf(source.get(i).get(1)));
      assertThat((BigDecimal) lake.get(i).get(2)).isEqualByComparingTo((BigDecimal) source.get(i).get(2));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fullImportReplacesTheTableWithTheSource(Kind kind) {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 5000);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--split-by", "id", "--sessions", "3");

      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 5000, staged 5000, loaded 5000");
      assertSameRows(sourceRows(db), lakeRows(fanout));

      db.execute("DELETE FROM orders WHERE id <= 1000", "UPDATE orders SET amount = 1.50 WHERE id = 2000");
      fanout.ok("import", "--table", "sales.orders");
      assertSameRows(sourceRows(db), lakeRows(fanout));
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("in lake 4000");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void appendIncrementReadsOnlyNewRows(Kind kind) {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 1000);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--import", "incr", "--incr-mode", "append", "--incr-column", "id", "--sessions", "2");

      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 1000, staged 1000, loaded 1000");
      insertOrders(db, 1001, 1300);
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 300, staged 300, loaded 300 rows; table has 1300");
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 0, staged 0, loaded 0 rows; table has 1300");

      assertSameRows(sourceRows(db), lakeRows(fanout));
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      1300");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void lastModifiedIncrementMergesChangedRowsByKey(Kind kind) {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 500);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "updated_at", "--etl", "merge");
      fanout.ok("import", "--table", "sales.orders");

      db.execute("UPDATE orders SET amount = 99.99, customer = 'changed', updated_at = TIMESTAMP '2026-02-01 10:00:00'"
          + " WHERE id IN (3, 30, 300)");
      insertOrders(db, 501, 510);
      db.execute("UPDATE orders SET updated_at = TIMESTAMP '2026-02-01 11:00:00' WHERE id > 500");

      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 13, staged 13, loaded 13 rows; table has 510");
      assertSameRows(sourceRows(db), lakeRows(fanout));
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      2026-02-01T11:00");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fullMergeUpsertsByPrimaryKey(Kind kind) {
    try (TestDatabase db = source(kind)) {
      insertOrders(db, 1, 200);
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--etl", "merge");
      fanout.ok("import", "--table", "sales.orders");
      db.execute("UPDATE orders SET amount = 7.77 WHERE MOD(id, 10) = 0");
      insertOrders(db, 201, 250);
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("table has 250 rows");
      assertSameRows(sourceRows(db), lakeRows(fanout));
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void emptySourceTableImportsAsAnEmptyTable(Kind kind) {
    try (TestDatabase db = source(kind)) {
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
          "--sessions", "4");
      assertThat(fanout.ok("import", "--table", "sales.orders")).contains("source 0, staged 0, loaded 0 rows; table has 0 rows");
      assertThat(LakeTables.rows(fanout.home(), "sales.orders")).isEmpty();
    }
  }
}
