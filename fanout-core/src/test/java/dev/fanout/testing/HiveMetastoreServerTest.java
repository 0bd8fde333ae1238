package dev.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hive.HiveCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Hive Metastore 4.0.1 in a child JVM, driven by Iceberg's HiveCatalog with the Hive 3.1.3 client. */
class HiveMetastoreServerTest {
  private static final Path LOGS = Path.of("target", "hive-metastore-logs");
  private static final TableIdentifier TABLE = TableIdentifier.of(Namespace.of("sales"), "orders");
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()));

  @TempDir
  Path data;

  @Test
  void aTableCommittedThroughTheMetastoreIsAnIcebergTableThereForAnotherClient() throws Exception {
    try (HiveMetastoreServer server = HiveMetastoreServer.start(data, LOGS)) {
      System.out.println("Hive Metastore answered after " + server.startTime().toMillis() + " ms");
      try (HiveCatalog writer = HiveEngine.catalog(server, "writer")) {
        writer.createNamespace(TABLE.namespace());
        Table table = writer.buildTable(TABLE, SCHEMA).withPartitionSpec(PartitionSpec.unpartitioned()).create();
        table.newAppend().appendFile(LakeTables.writeNamedRows(table, 3)).commit();
      }
      try (HiveCatalog reader = HiveEngine.catalog(server, "reader")) {
        Table table = reader.loadTable(TABLE);
        assertThat(table.snapshots()).hasSize(1);
        assertThat(LakeTables.rows(table)).hasSize(3);
        // the metastore's default warehouse (no transformer moved it to warehouse-external)
        assertThat(table.location()).endsWith(server.warehouse() + "/sales.db/orders");
        assertThat(HiveEngine.tableParameters(server.uri(), "sales", "orders"))
            .containsEntry("table_type", "ICEBERG")
            .containsEntry("metadata_location", ((org.apache.iceberg.HasTableOperations) table).operations().current()
                .metadataFileLocation());
      }
    }
  }
}
