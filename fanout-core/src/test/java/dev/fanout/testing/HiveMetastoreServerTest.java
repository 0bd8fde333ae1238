package dev.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hive.HiveCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
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
        table.newAppend().appendFile(writeRows(table, 3)).commit();
      }
      try (HiveCatalog reader = HiveEngine.catalog(server, "reader")) {
        Table table = reader.loadTable(TABLE);
        assertThat(table.snapshots()).hasSize(1);
        assertThat(count(table)).isEqualTo(3);
        // the metastore's default warehouse (no transformer moved it to warehouse-external)
        assertThat(table.location()).endsWith(server.warehouse() + "/sales.db/orders");
        assertThat(HiveEngine.tableParameters(server.uri(), "sales", "orders"))
            .containsEntry("table_type", "ICEBERG")
            .containsEntry("metadata_location", ((org.apache.iceberg.HasTableOperations) table).operations().current()
                .metadataFileLocation());
      }
    }
  }

  private static DataFile writeRows(Table table, int rows) throws IOException {
    String path = table.locationProvider().newDataLocation("rows-0.parquet");
    DataWriter<Record> out = Parquet.writeData(table.io().newOutputFile(path))
        .schema(table.schema())
        .withSpec(table.spec())
        .createWriterFunc(GenericParquetWriter::create)
        .overwrite()
        .build();
    try (out) {
      for (long i = 1; i <= rows; i++) {
        GenericRecord r = GenericRecord.create(table.schema());
        r.setField("id", i);
        r.setField("name", "row " + i);
        out.write(r);
      }
    }
    return out.toDataFile();
  }

  private static long count(Table table) throws IOException {
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record ignored : rows) {
        n++;
      }
    }
    return n;
  }
}
