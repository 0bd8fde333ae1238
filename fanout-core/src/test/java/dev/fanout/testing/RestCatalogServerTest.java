package dev.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Iceberg REST catalog in a child JVM, driven by Iceberg's RESTCatalog client, and kept across a restart. */
class RestCatalogServerTest {
  private static final Path LOGS = Path.of("target", "rest-catalog-logs");
  private static final TableIdentifier TABLE = TableIdentifier.of(Namespace.of("sales"), "orders");
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()));

  @TempDir
  Path data;

  @Test
  void aTableCommittedThroughTheServerIsThereForAnotherClientAndAfterARestart() throws Exception {
    try (RestCatalogServer server = RestCatalogServer.start(data, LOGS)) {
      try (RESTCatalog writer = client(server, "writer")) {
        writer.createNamespace(TABLE.namespace());
        Table table = writer.buildTable(TABLE, SCHEMA).withPartitionSpec(PartitionSpec.unpartitioned()).create();
        table.newAppend().appendFile(LakeTables.writeNamedRows(table, 3)).commit();
      }
      try (RESTCatalog reader = client(server, "reader")) {
        Table table = reader.loadTable(TABLE);
        assertThat(table.snapshots()).hasSize(1);
        assertThat(table.currentSnapshot().summary()).containsEntry("total-records", "3");
        assertThat(LakeTables.rows(table)).hasSize(3);
        assertThat(table.location()).startsWith(server.warehouse().toUri().toString().replaceFirst("/$", ""));
      }
    }

    try (RestCatalogServer again = RestCatalogServer.start(data, LOGS);
         RESTCatalog reader = client(again, "after-restart")) {
      assertThat(reader.namespaceExists(TABLE.namespace())).isTrue();
      assertThat(reader.listTables(TABLE.namespace())).containsExactly(TABLE);
      Table table = reader.loadTable(TABLE);
      assertThat(table.snapshots()).hasSize(1);
      assertThat(LakeTables.rows(table)).hasSize(3);
    }
  }

  private static RESTCatalog client(RestCatalogServer server, String name) {
    RESTCatalog catalog = new RESTCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(name, Map.of(
        "uri", server.uri(),
        "io-impl", "org.apache.iceberg.hadoop.HadoopFileIO"));
    return catalog;
  }
}
