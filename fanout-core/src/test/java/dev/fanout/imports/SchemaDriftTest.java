package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Columns added, dropped or retyped at the source between imports. */
class SchemaDriftTest {
  @TempDir Path tmp;

  private FanoutCli importedOnce(TestDatabase db) {
    db.execute("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), qty INT)",
        "INSERT INTO items VALUES (1, 'one', 10), (2, 'two', 20)");
    FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
    fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".items", "--target", "shop.items");
    fanout.ok("import", "--table", "shop.items");
    return fanout;
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void aColumnAddedAtTheSourceAppearsAtTheNextImport(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      FanoutCli fanout = importedOnce(db);
      db.execute("ALTER TABLE items ADD COLUMN color VARCHAR(10)", "UPDATE items SET color = 'red' WHERE id = 1",
          "INSERT INTO items VALUES (3, 'three', 30, 'blue')");

      fanout.ok("import", "--table", "shop.items");

      assertThat(LakeTables.rows(fanout.home(), "shop.items")).containsExactly(
          Arrays.asList(1, "one", 10, "red"), Arrays.asList(2, "two", 20, null), Arrays.asList(3, "three", 30, "blue"));
      assertThat(fanout.ok("table", "show", "shop.items")).contains("color");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void aDroppedColumnStaysInTheLakeAndIsNullInNewRows(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      FanoutCli fanout = importedOnce(db);
      db.execute("ALTER TABLE items DROP COLUMN qty");

      String out = fanout.ok("import", "--table", "shop.items");

      assertThat(out).contains("Column qty is gone from the source");
      assertThat(LakeTables.rows(fanout.home(), "shop.items"))
          .containsExactly(Arrays.asList(1, "one", null), Arrays.asList(2, "two", null));
      assertThat(fanout.ok("table", "show", "shop.items")).contains("(gone from source)");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void aWidenedColumnIsWidenedAndANarrowingChangeIsRefused(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      FanoutCli fanout = importedOnce(db);
      db.execute(kind == Kind.MARIADB ? "ALTER TABLE items MODIFY qty BIGINT" : "ALTER TABLE items ALTER COLUMN qty TYPE BIGINT",
          "INSERT INTO items VALUES (3, 'three', 30000000000)");
      fanout.ok("import", "--table", "shop.items");
      List<List<Object>> rows = LakeTables.rows(fanout.home(), "shop.items");
      assertThat(rows.get(2)).containsExactly(3, "three", 30000000000L);

      db.execute("DELETE FROM items WHERE id = 3", "UPDATE items SET name = '7'", kind == Kind.MARIADB
          ? "ALTER TABLE items MODIFY name INT" : "ALTER TABLE items ALTER COLUMN name TYPE INT USING name::int");
      Result r = fanout.run("import", "--table", "shop.items");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("Column name of shop.items changed type at the source from string to int");
      assertThat(LakeTables.rows(fanout.home(), "shop.items")).hasSize(3);
    }
  }
}
