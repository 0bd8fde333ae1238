package dev.fanout.stage;

import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Schema;

/**
 * Stages one read of a source table: every split is read once and written as Parquet files (with the
 * lake table's field ids) into a staging directory. The caller writes the manifest afterwards.
 */
public interface StageWriter {
  /**
   * @param progress receives row counts as they stream, from any thread
   * @return the files written, in split order
   */
  List<StagedFile> write(TableRead read, List<SqlFragment> splits, Schema schema, Path dir, LongConsumer progress);
}
