package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code table discover} adds a whole schema, skips what exists, and says why it skips the rest. */
class DiscoverTest {
  @TempDir Path tmp;

  @Test
  void discoverAddsEveryImportableTableOnce() {
    try (TestDatabase db = TestDatabase.create(Kind.POSTGRES, tmp)) {
      db.execute("CREATE TABLE customers (id INT PRIMARY KEY, name TEXT)",
          "CREATE TABLE \"Order Lines\" (id BIGINT PRIMARY KEY, qty INT)",
          "CREATE TABLE tagged (id INT PRIMARY KEY, tags TEXT[])",
          "INSERT INTO \"Order Lines\" VALUES (1, 5), (2, 7)");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);

      String out = fanout.ok("table", "discover", "--connection", "src", "--schema", db.schema(), "--target-db", "erp");

      assertThat(out).contains("added    erp.customers").contains("added    erp.order_lines")
          .containsPattern("skipped  erp.tagged: Column tags .* cannot carry").contains("Discovered 2 new table(s)");
      assertThat(fanout.ok("table", "discover", "--connection", "src", "--schema", db.schema(), "--target-db", "erp"))
          .contains("exists   erp.customers").contains("Discovered 0 new table(s)");
      assertThat(fanout.ok("import", "--table", "erp.order_lines")).contains("source 2, staged 2, loaded 2 rows");
    }
  }
}
