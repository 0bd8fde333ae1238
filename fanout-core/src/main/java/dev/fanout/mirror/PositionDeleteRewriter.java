package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.util.Optional;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * A position delete file names the data files it deletes from by path, so a byte copy would point at the
 * source cluster: it is written again on the destination with every path mapped, and its metadata (the
 * path bounds readers use to match it to data files) comes from the new file.
 */
final class PositionDeleteRewriter {
  private final FileIO sourceIo;
  private final FileIO targetIo;
  private final PathMap paths;

  PositionDeleteRewriter(FileIO sourceIo, FileIO targetIo, PathMap paths) {
    this.sourceIo = sourceIo;
    this.targetIo = targetIo;
    this.paths = paths;
  }

  /** The rewritten file under its destination path, or empty when the source file holds no delete. */
  Optional<DeleteFile> rewrite(DeleteFile file, PartitionSpec targetSpec) {
    if (ContentFileUtil.isDV(file)) {
      throw new FanoutException("Delete file " + file.location() + " is a deletion vector (table format v3),"
          + " which fanout sync does not copy yet.");
    }
    if (file.format() != FileFormat.PARQUET) {
      throw new FanoutException("Position delete file " + file.location() + " is " + file.format()
          + "; fanout sync rewrites Parquet position deletes only.");
    }
    String target = paths.target(file.location());
    Schema schema = DeleteSchemaUtil.posDeleteReadSchema(targetSpec.schema());
    PositionDeleteWriter<Record> writer = null;
    try (CloseableIterable<Record> records = Parquet.read(sourceIo.newInputFile(file.location())).project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build()) {
      PositionDelete<Record> delete = PositionDelete.create();
      for (Record r : records) {
        if (writer == null) {
          writer = writer(target, targetSpec, file, r.get(2) != null);
        }
        writer.write(delete.set(paths.target(r.get(0).toString()), (Long) r.get(1), (Record) r.get(2)));
      }
      if (writer == null) {
        return Optional.empty();
      }
      writer.close();
      return Optional.of(writer.toDeleteFile());
    } catch (IOException | RuntimeException e) {
      closeQuietly(writer);
      throw new FanoutException("Cannot rewrite position delete file " + file.location() + " to " + target + ": "
          + e.getMessage(), e);
    }
  }

  private PositionDeleteWriter<Record> writer(String target, PartitionSpec spec, DeleteFile file, boolean withRows) {
    Parquet.DeleteWriteBuilder builder = Parquet.writeDeletes(targetIo.newOutputFile(target))
        .createWriterFunc(GenericParquetWriter::create).withSpec(spec).withPartition(file.partition()).overwrite();
    if (withRows) {
      builder.rowSchema(spec.schema());
    }
    try {
      return builder.buildPositionWriter();
    } catch (IOException e) {
      throw new FanoutException("Cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(PositionDeleteWriter<Record> writer) {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // the failure being reported matters more; the half-written file is never committed
      }
    }
  }
}
