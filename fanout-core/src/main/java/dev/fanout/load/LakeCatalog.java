package dev.fanout.load;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.TableName;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The instance's Iceberg catalog: Iceberg's own JdbcCatalog in the metadata database, with the
 * warehouse on the instance's cluster. Spark, Trino and Flink can open the same catalog.
 */
public final class LakeCatalog implements AutoCloseable {
  /** The catalog name, as Iceberg stores it in its {@code iceberg_tables}. */
  public static final String NAME = "fanout";

  private final JdbcCatalog catalog;
  private final FileIO io;
  private final String warehouse;

  public LakeCatalog(MetadataDatabase db, Cluster cluster) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, db.url());
    props.put("jdbc.user", db.user());
    props.put("jdbc.password", db.password());
    props.put("jdbc.schema-version", "V1");
    props.put(CatalogProperties.WAREHOUSE_LOCATION, cluster.warehouse().toString());
    props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
    this.io = new HadoopFileIO(cluster.conf());
    this.warehouse = cluster.warehouse().toString();
    this.catalog = new JdbcCatalog();
    catalog.setConf(cluster.conf());
    try {
      catalog.initialize(NAME, props);
    } catch (RuntimeException e) {
      throw new FanoutException("Cannot open the lake catalog in " + dev.fanout.jdbc.JdbcUrls.redact(db.url()) + ": " + e.getMessage(), e);
    }
  }

  public JdbcCatalog catalog() {
    return catalog;
  }

  /** Files of this catalog's cluster, for metadata written outside a table commit. */
  public FileIO io() {
    return io;
  }

  /** Where this catalog puts a new table, as Iceberg's JdbcCatalog does: {@code <warehouse>/<db>/<table>}. */
  public String defaultLocation(TableName name) {
    return warehouse + "/" + name.db() + "/" + name.table();
  }

  public static TableIdentifier identifier(TableName name) {
    return TableIdentifier.of(Namespace.of(name.db()), name.table());
  }

  public Optional<Table> find(TableName name) {
    try {
      return Optional.of(catalog.loadTable(identifier(name)));
    } catch (NoSuchTableException e) {
      return Optional.empty();
    }
  }

  public Table require(TableName name) {
    return find(name).orElseThrow(() -> new FanoutException(
        "Lake table " + name + " does not exist yet; run 'fanout import --table " + name + "' first."));
  }

  public void ensureNamespace(String db) {
    Namespace ns = Namespace.of(db);
    if (!catalog.namespaceExists(ns)) {
      try {
        catalog.createNamespace(ns);
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
        // created by a concurrent import: fine
      }
    }
  }

  @Override
  public void close() {
    io.close();
    catalog.close();
  }
}
