package dev.fanout.mirror;

import dev.fanout.metadata.TableName;
import dev.fanout.metadata.Sql;
import dev.fanout.metadata.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import dev.fanout.load.CatalogChoice;
import dev.fanout.load.LakeCatalog;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The current metadata file of every table of the lake catalog: each commit moves a table's pointer, so
 * comparing pointers finds new snapshots. A JdbcCatalog's pointers are read in one query from Iceberg's
 * own {@code iceberg_tables}; any other catalog is asked table by table (one listing per namespace and one
 * table load per table and poll).
 */
public final class TablePointers {
  private final Sql tx;
  private final LakeCatalog catalog;

  public TablePointers(Sql tx, LakeCatalog catalog) {
    this.tx = tx;
    this.catalog = catalog;
  }

  public Map<TableName, String> read() {
    return catalog.choice().kind() == CatalogChoice.Kind.JDBC ? fromCatalogTable() : fromCatalog();
  }

  private Map<TableName, String> fromCatalog() {
    Map<TableName, String> out = new HashMap<>();
    for (TableIdentifier id : catalog.tables()) {
      if (id.namespace().levels().length != 1) {
        continue; // not a db.table of Fanout's
      }
      try {
        TableName name = new TableName(id.namespace().level(0), id.name());
        catalog.find(name).ifPresent(t -> out.put(name, ((HasTableOperations) t).operations().current()
            .metadataFileLocation()));
      } catch (RuntimeException e) {
        // a table another engine named outside Fanout's db.table rules, or dropped meanwhile: not ours to sync
      }
    }
    return out;
  }

  private Map<TableName, String> fromCatalogTable() {
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
