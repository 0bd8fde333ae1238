package dev.fanout.load;

import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/**
 * Loads one complete staging directory into a lake table as exactly one commit: a reader sees the table
 * before or after the load, never in between.
 */
public interface TableLoader {
  /** Snapshot summary property that names the import a commit came from. */
  String IMPORT_ID_PROPERTY = "fanout.import-id";

  /**
   * Table properties that name the last import committed and the rows it added, set in the load's own
   * commit: they outlive the snapshot (expired by maintenance), so a rerun after a crash between the
   * lake's commit and the metadata's still finds the import committed and never commits it twice.
   */
  String LAST_IMPORT_PROPERTY = "fanout.last-import-id";
  String LAST_IMPORT_ROWS_PROPERTY = "fanout.last-import-rows";

  LoadResult load(TableName table, Path stagingDir, StageManifest manifest, LoadOptions options);

  /** The commit of an import, if the table has it: how a retry after a crash knows the load happened. */
  Optional<LoadResult> committed(TableName table, String importId);

  /**
   * Where a staged file of an import lives once the load has made it a data file of the table; the
   * staging directory keeps only its manifest then.
   */
  Path loadedFile(TableName table, String importId, String stagedFileName);
}
