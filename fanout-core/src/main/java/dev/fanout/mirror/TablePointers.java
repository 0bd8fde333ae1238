package dev.fanout.mirror;

import dev.fanout.metadata.TableName;
import dev.fanout.metadata.Sql;
import dev.fanout.metadata.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The current metadata file of every table of the lake catalog, read in one query from Iceberg's own
 * {@code iceberg_tables}: each commit moves a table's pointer, so comparing pointers finds new snapshots
 * without opening every table.
 */
public final class TablePointers {
  private final Sql tx;

  public TablePointers(Sql tx) {
    this.tx = tx;
  }

  public Map<TableName, String> read() {
    return tx.run("reading the lake catalog", c -> {
      Map<TableName, String> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT table_namespace, table_name, metadata_location"
          + " FROM iceberg_tables WHERE catalog_name = ? AND (iceberg_type IS NULL OR iceberg_type = 'TABLE')")) {
        ps.setString(1, dev.fanout.load.LakeCatalog.NAME);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            try {
              out.put(new TableName(rs.getString(1), rs.getString(2)), rs.getString(3));
            } catch (RuntimeException e) {
              // a table another engine named outside Fanout's db.table rules: not ours to sync
            }
          }
        }
      }
      return out;
    });
  }
}
