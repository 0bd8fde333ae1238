package dev.fanout.load;

import dev.fanout.cluster.Cluster;
import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;

/** What the comparing merge and the history table share: reading a row's values, writing data files, finding a commit. */
final class Rows {
  private Rows() {}

  /** A column's value, or null when the row (read before the column existed) has no such column. */
  static Object valueOf(Record row, String column) {
    return row.struct().field(column) == null ? null : row.getField(column);
  }

  /** An older row version read before a widening (int to long, float to double) written into the wider column. */
  static Object widen(Object value, Type type) {
    if (value instanceof Integer i && type.typeId() == Type.TypeID.LONG) {
      return i.longValue();
    }
    if (value instanceof Float f && type.typeId() == Type.TypeID.DOUBLE) {
      return f.doubleValue();
    }
    return value;
  }

  /** A Parquet data file of the table, written with {@code schema} and the table's properties; a retry overwrites it. */
  static DataWriter<Record> dataWriter(Cluster cluster, Table table, Schema schema, Path file) {
    try {
      return Parquet.writeData(HadoopOutputFile.fromPath(file, cluster.fs(), cluster.conf()))
          .schema(schema)
          .withSpec(PartitionSpec.unpartitioned())
          .setAll(table.properties())
          .metricsConfig(org.apache.iceberg.MetricsConfig.forTable(table))
          .createWriterFunc(GenericParquetWriter::create)
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new FanoutException("Cannot write " + file + " of " + table.name() + ": " + e.getMessage(), e);
    }
  }

  /** The snapshot an import committed, while the table still keeps it. */
  static Optional<Snapshot> commitOf(Table table, String importId) {
    for (Snapshot s : table.snapshots()) {
      if (importId.equals(s.summary().get(TableLoader.IMPORT_ID_PROPERTY))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
