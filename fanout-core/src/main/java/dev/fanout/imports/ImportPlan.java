package dev.fanout.imports;

import dev.fanout.metadata.ImportTable;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import java.util.List;
import org.apache.iceberg.Schema;

/**
 * What one import will do, decided before any row is read: the read (columns, filter), its splits,
 * the schema the staged files get, and for an incremental import the range of the increment.
 *
 * @param range null for a full import
 * @param keyRead the read of every primary key at the source, for an incremental merge that detects
 *     deletes; else null
 */
record ImportPlan(
    ImportTable table,
    SourceSessions sessions,
    TableRead read,
    List<SqlFragment> splits,
    Schema stagedSchema,
    IncrementRange range,
    TableRead keyRead) {

  String incrMinValue() {
    return range == null ? null : range.lower();
  }

  Schema keySchema() {
    return stagedSchema.select(keyRead.columns());
  }

  String incrMaxValue() {
    return range == null ? null : range.next();
  }
}
