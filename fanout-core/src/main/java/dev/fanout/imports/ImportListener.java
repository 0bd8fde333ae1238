package dev.fanout.imports;

import dev.fanout.load.LoadResult;
import dev.fanout.metadata.TableName;

/**
 * Hears what an import does, so progress bars, logs and (later) metrics hang off the import without
 * the import knowing who listens. Every method may be called from split threads.
 */
public interface ImportListener {
  default void stageStarted(TableName table, int sessions, long expectedRows) {}

  default void rowsStaged(long delta) {}

  default void stageFinished(TableName table, long rows, long bytes) {}

  default void loaded(TableName table, LoadResult result) {}

  default void message(String text) {}

  ImportListener NONE = new ImportListener() {};
}
