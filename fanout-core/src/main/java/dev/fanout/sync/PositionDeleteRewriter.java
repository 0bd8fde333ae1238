package dev.fanout.sync;

import dev.fanout.FanoutException;
import java.io.IOException;
import java.util.Optional;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteTablePathUtil;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * A position delete file names the data files it deletes from by path, so a byte copy would point at the
 * source cluster: it is written again on the destination with the paths mapped (Iceberg's own
 * {@link RewriteTablePathUtil} does the mapping), and its metadata (the path bounds readers use to match
 * it to data files) comes from the new file.
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
    Parquets readerWriter = new Parquets();
    try {
      RewriteTablePathUtil.rewritePositionDeleteFile(file, targetIo.newOutputFile(target), sourceIo, targetSpec,
          paths.sourceLocation(), paths.targetLocation(), readerWriter);
    } catch (IOException | RuntimeException e) {
      throw new FanoutException("Cannot rewrite position delete file " + file.location() + " to " + target + ": "
          + e.getMessage(), e);
    }
    return Optional.ofNullable(readerWriter.written).map(PositionDeleteWriter::toDeleteFile);
  }

  /** Generic Parquet reading and writing of position deletes; remembers the writer to read its result. */
  private static final class Parquets implements RewriteTablePathUtil.PositionDeleteReaderWriter {
    private transient PositionDeleteWriter<Record> written;

    @Override
    public CloseableIterable<Record> reader(InputFile input, FileFormat format, PartitionSpec spec) {
      Schema schema = DeleteSchemaUtil.posDeleteReadSchema(spec.schema());
      return Parquet.read(input).project(schema)
          .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build();
    }

    @Override
    public PositionDeleteWriter<Record> writer(OutputFile output, FileFormat format, PartitionSpec spec,
        StructLike partition, Schema rowSchema) throws IOException {
      Parquet.DeleteWriteBuilder builder = Parquet.writeDeletes(output).createWriterFunc(GenericParquetWriter::create)
          .withSpec(spec).withPartition(partition).overwrite();
      if (rowSchema != null) {
        builder.rowSchema(rowSchema);
      }
      written = builder.buildPositionWriter();
      return written;
    }
  }
}
