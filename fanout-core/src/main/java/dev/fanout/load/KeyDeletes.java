package dev.fanout.load;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.hadoop.HadoopOutputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * The equality delete file of a merge: the primary keys of every incoming row, streamed from the new
 * data files. Committed with those files, it removes the older versions of the same keys and leaves the
 * new rows (Iceberg applies equality deletes only to rows committed before them).
 */
final class KeyDeletes {
  private final Cluster cluster;
  private final Table table;
  private final Schema keySchema;
  private final TableName name;

  KeyDeletes(Cluster cluster, Table table, Schema staged, List<String> primaryKey, TableName name) {
    this.cluster = cluster;
    this.table = table;
    this.name = name;
    List<Types.NestedField> keys = new ArrayList<>();
    for (String column : primaryKey) {
      Types.NestedField f = staged.caseInsensitiveFindField(column);
      if (f == null) {
        throw new FanoutException("Primary key column " + column + " of " + name + " is not among the imported columns.");
      }
      keys.add(f);
    }
    this.keySchema = new Schema(keys);
  }

  /** Opens an equality delete writer of this table's key columns. */
  EqualityDeleteWriter<Record> open(Path target) {
    try {
      return Parquet.writeDeletes(HadoopOutputFile.fromPath(target, cluster.fs(), cluster.conf()))
          .forTable(table)
          .rowSchema(keySchema)
          .withSpec(PartitionSpec.unpartitioned())
          .equalityFieldIds(keySchema.columns().stream().map(Types.NestedField::fieldId).toList())
          .createWriterFunc(GenericParquetWriter::create)
          .overwrite()
          .buildEqualityWriter();
    } catch (IOException e) {
      throw new FanoutException("Cannot write the merge keys of " + name + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /** The key columns of a row, as the delete file holds them. */
  Record keyOf(Record row) {
    Record key = GenericRecord.create(keySchema);
    for (Types.NestedField f : keySchema.columns()) {
      key.setField(f.name(), Rows.widen(row.getField(f.name()), f.type()));
    }
    return key;
  }

  List<String> columns() {
    return keySchema.columns().stream().map(Types.NestedField::name).toList();
  }

  DeleteFile write(List<DataFile> dataFiles, Path target) {
    EqualityDeleteWriter<Record> writer = open(target);
    try (writer) {
      for (DataFile file : dataFiles) {
        HadoopInputFile input = HadoopInputFile.fromPath(new Path(file.location()), cluster.fs(), cluster.conf());
        try (CloseableIterable<Record> keys = Parquet.read(input)
            .project(keySchema)
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(keySchema, fileSchema))
            .build()) {
          for (Record key : keys) {
            writer.write(key);
          }
        }
      }
    } catch (IOException e) {
      throw new FanoutException("Cannot write the merge keys of " + name + ": " + e.getMessage(), e);
    }
    return writer.toDeleteFile();
  }
}
