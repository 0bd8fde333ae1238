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
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.hive.HiveCatalog;
import org.apache.iceberg.jdbc.JdbcCatalog;
import dev.fanout.security.CredentialCipher;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The instance's Iceberg catalog, as {@link CatalogChoice} says: Iceberg's own JdbcCatalog in the metadata
 * database, with the warehouse on the instance's cluster, an Iceberg REST catalog, or Iceberg's HiveCatalog on a
 * Hive Metastore (warehouse on the instance's cluster too). Everything that
 * commits or reads a table goes through it; Spark, Trino and Flink can open the same catalog.
 */
public final class LakeCatalog implements AutoCloseable {
  /** The catalog name, as Iceberg stores it in its {@code iceberg_tables}. */
  public static final String NAME = "fanout";

  private final Catalog catalog;
  private final SupportsNamespaces namespaces;
  private final CatalogChoice choice;
  private final FileIO io;
  private final String warehouse;

  public LakeCatalog(MetadataDatabase db, Cluster cluster) {
    this(db, cluster, CatalogChoice.JDBC, null);
  }

  /** @param cipher the key of the instance whose catalog this is (unseals its catalog secrets); null if unknown */
  public LakeCatalog(MetadataDatabase db, Cluster cluster, CatalogChoice choice, CredentialCipher cipher) {
    this.choice = choice;
    this.io = new HadoopFileIO(cluster.conf());
    this.warehouse = cluster.warehouse().toString();
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
    if (choice.kind() == CatalogChoice.Kind.JDBC) {
      props.put(CatalogProperties.URI, db.url());
      props.put("jdbc.user", db.user());
      props.put("jdbc.password", db.password());
      props.put("jdbc.schema-version", "V1");
      if (db.url().startsWith("jdbc:mariadb:") || db.url().startsWith("jdbc:mysql:")) {
        // Iceberg finds its tables and columns through DatabaseMetaData with a null database, which Connector/J
        // answers from every database on the server: another instance's iceberg_tables would pass for ours
        props.put("jdbc.nullDatabaseMeansCurrent", "true");
      }
      props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
      JdbcCatalog jdbc = new JdbcCatalog();
      jdbc.setConf(cluster.conf());
      this.catalog = jdbc;
      this.namespaces = jdbc;
    } else if (choice.kind() == CatalogChoice.Kind.HIVE) {
      props.putAll(choice.properties());
      props.put(CatalogProperties.URI, choice.uri());
      props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
      HiveCatalog hive = new HiveCatalog();
      hive.setConf(cluster.conf());
      this.catalog = hive;
      this.namespaces = hive;
    } else {
      props.putAll(choice.properties());
      Map<String, String> secrets = choice.secretProperties(cipher, cluster.name());
      if (!secrets.isEmpty()) {
        props.putIfAbsent("rest.auth.type", "oauth2");  // what Iceberg infers from a token or credential, said outright
        props.putAll(secrets);
      }
      props.put(CatalogProperties.URI, choice.uri());
      RESTCatalog rest = new RESTCatalog();
      rest.setConf(cluster.conf());
      this.catalog = rest;
      this.namespaces = rest;
    }
    try {
      catalog.initialize(NAME, props);
    } catch (RuntimeException e) {
      String where = choice.kind() == CatalogChoice.Kind.JDBC ? dev.fanout.jdbc.JdbcUrls.redact(db.url()) : choice.uri();
      throw new FanoutException("Cannot open the lake catalog at " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Asks the catalog once for something cheap, so that an unreachable catalog fails {@code init} rather than the
   * first import: a REST catalog has already answered its config call when it was opened; a Hive Metastore
   * client only connects on its first call.
   */
  public void checkReachable() {
    if (choice.kind() != CatalogChoice.Kind.HIVE) {
      return;
    }
    try {
      namespaces.namespaceExists(Namespace.of("default"));
    } catch (RuntimeException e) {
      throw unreachable(e);
    }
  }

  private FanoutException unreachable(RuntimeException e) {
    return new FanoutException("Cannot reach the Hive Metastore at " + choice.uri() + ": " + MetastoreFailures.reason(e)
        + ".", e);
  }

  /**
   * Runs a catalog call; a metastore that does not answer (the client's own connect retries spent) is a failure the
   * user can act on, in one sentence, rather than an unexpected one.
   */
  private <T> T reaching(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      if (choice.kind() == CatalogChoice.Kind.HIVE && MetastoreFailures.lostConnection(e)) {
        throw unreachable(e);
      }
      throw e;
    }
  }

  public Catalog catalog() {
    return catalog;
  }

  public CatalogChoice choice() {
    return choice;
  }

  /** Files of this catalog's cluster, for metadata written outside a table commit. */
  public FileIO io() {
    return io;
  }

  /**
   * Where this catalog puts a new table, as Iceberg's own catalog does: {@code <warehouse>/<db>/<table>} for the
   * JdbcCatalog, {@code <warehouse>/<db>.db/<table>} for the HiveCatalog (Hive's database directories).
   */
  public String defaultLocation(TableName name) {
    String db = choice.kind() == CatalogChoice.Kind.HIVE ? name.db() + ".db" : name.db();
    return warehouse + "/" + db + "/" + name.table();
  }

  public static TableIdentifier identifier(TableName name) {
    return TableIdentifier.of(Namespace.of(name.db()), name.table());
  }

  public Optional<Table> find(TableName name) {
    return reaching(() -> {
      try {
        return Optional.of(catalog.loadTable(identifier(name)));
      } catch (NoSuchTableException e) {
        return Optional.empty();
      }
    });
  }

  public Table require(TableName name) {
    return find(name).orElseThrow(() -> new FanoutException(
        "Lake table " + name + " does not exist yet; run 'fanout import --table " + name + "' first."));
  }

  public void ensureNamespace(String db) {
    Namespace ns = Namespace.of(db);
    reaching(() -> {
      if (!namespaces.namespaceExists(ns)) {
        try {
          namespaces.createNamespace(ns);
        } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
          // created by a concurrent import: fine
        }
      }
      return null;
    });
  }

  /** Every table of the catalog, by namespace (one listing per namespace). */
  public java.util.List<TableIdentifier> tables() {
    return reaching(() -> {
      java.util.List<TableIdentifier> out = new java.util.ArrayList<>();
      for (Namespace ns : namespaces.listNamespaces()) {
        out.addAll(catalog.listTables(ns));
      }
      return out;
    });
  }

  @Override
  public void close() {
    io.close();
    try {
      if (catalog instanceof java.io.Closeable c) {
        c.close();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
