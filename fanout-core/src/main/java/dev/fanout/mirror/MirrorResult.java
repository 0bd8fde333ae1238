package dev.fanout.mirror;

import dev.fanout.metadata.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a sync did, for the one line it prints and for {@code table_syncs}. {@code syncedTo} is the source
 * snapshot up to which every change is on the destination afterwards ({@code null} when no sync without
 * a partition filter has completed yet).
 */
public record MirrorResult(TableName table, String destination, MirrorMode mode, String partitionFilter, int commits,
    int dataFilesAdded, int deleteFilesAdded, int filesRemoved, long bytesCopied, int filesAlreadyThere,
    Long sourceSnapshotId, Long targetSnapshotId, Long syncedTo, List<String> warnings, Duration elapsed) {

  public MirrorResult {
    warnings = List.copyOf(warnings);
  }

  public int filesCopied() {
    return dataFilesAdded + deleteFilesAdded;
  }

  public String summary() {
    String head = table + " to " + destination + ": ";
    String how = switch (mode) {
      case FIRST -> "first sync";
      case INCREMENTAL -> "incremental";
      case FULL -> "full copy";
      case NOTHING -> "nothing to sync";
    };
    if (partitionFilter != null) {
      how += " of partition " + partitionFilter;
    }
    if (mode == MirrorMode.NOTHING) {
      return head + how + "; the destination is at source snapshot " + sourceSnapshotId + ".";
    }
    return head + how + ", " + commits + (commits == 1 ? " commit: " : " commits: ")
        + dataFilesAdded + " data files and " + deleteFilesAdded + " delete files added, " + filesRemoved
        + " removed; " + String.format(Locale.ROOT, "%.1f MB copied", bytesCopied / 1e6)
        + (filesAlreadyThere > 0 ? " (" + filesAlreadyThere + " files already there)" : "")
        + String.format(Locale.ROOT, " in %.1f s", elapsed.toMillis() / 1000.0)
        + "; source snapshot " + sourceSnapshotId + ", destination snapshot " + targetSnapshotId + ".";
  }
}
