package dev.fanout.testing;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.hive.HiveCatalog;

/**
 * What another engine on the same Hive Metastore sees: Iceberg's plain HiveCatalog, and the metastore's own
 * record of a table (its parameters, where Iceberg keeps table_type and metadata_location).
 */
public final class HiveEngine {
  private HiveEngine() {
  }

  /** Iceberg's HiveCatalog on the metastore, as Spark or Trino would open it (new namespaces in its warehouse). */
  public static HiveCatalog catalog(HiveMetastoreServer server, String name) {
    HiveCatalog catalog = new HiveCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(name, Map.of(CatalogProperties.URI, server.uri(),
        CatalogProperties.WAREHOUSE_LOCATION, server.warehouse().toUri().toString(),
        CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO"));
    return catalog;
  }

  /** The metastore's parameters of a table, read with the metastore's own Thrift client. */
  public static Map<String, String> tableParameters(String metastoreUri, String db, String table) throws Exception {
    HiveConf conf = new HiveConf();
    conf.set("hive.metastore.uris", metastoreUri);
    conf.set("metastore.thrift.uris", metastoreUri);
    HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      return Map.copyOf(client.getTable(db, table).getParameters());
    } finally {
      client.close();
    }
  }

  /** The metastore's columns of a table, as "name type", which Hive's own readers go by. */
  public static java.util.List<String> columns(String metastoreUri, String db, String table) throws Exception {
    HiveConf conf = new HiveConf();
    conf.set("hive.metastore.uris", metastoreUri);
    conf.set("metastore.thrift.uris", metastoreUri);
    HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      return client.getTable(db, table).getSd().getCols().stream().map(c -> c.getName() + " " + c.getType()).toList();
    } finally {
      client.close();
    }
  }

  /** The metastore's table type of a table (MANAGED_TABLE, EXTERNAL_TABLE, ...). */
  public static String tableType(String metastoreUri, String db, String table) throws Exception {
    HiveConf conf = new HiveConf();
    conf.set("hive.metastore.uris", metastoreUri);
    conf.set("metastore.thrift.uris", metastoreUri);
    HiveMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      return client.getTable(db, table).getTableType();
    } finally {
      client.close();
    }
  }
}
