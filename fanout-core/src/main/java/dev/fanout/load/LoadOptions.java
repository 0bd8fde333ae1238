package dev.fanout.load;

import dev.fanout.metadata.EtlMode;
import dev.fanout.metadata.MergeDeletes;
import java.util.List;

/**
 * How staged rows become the table: the ETL mode, the key a merge matches on, what a merge does with keys
 * that left the source, and whether it keeps a history table.
 */
public record LoadOptions(EtlMode mode, List<String> primaryKey, MergeDeletes deletes, boolean history) {
  public LoadOptions {
    primaryKey = List.copyOf(primaryKey);
    deletes = deletes == null ? MergeDeletes.NONE : deletes;
  }

  /** A merge that must compare incoming rows with the table's rows, not only replace their keys. */
  boolean compares() {
    return mode == EtlMode.MERGE && (deletes != MergeDeletes.NONE || history);
  }
}
