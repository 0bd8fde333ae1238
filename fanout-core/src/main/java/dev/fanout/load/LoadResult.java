package dev.fanout.load;

/**
 * What one load committed: the snapshot, the rows it took in, the table's rows afterwards and, for a merge
 * that compares rows, what it changed (else null).
 */
public record LoadResult(long snapshotId, long loadedRows, long lakeRows, MergeChanges changes) {
  public LoadResult(long snapshotId, long loadedRows, long lakeRows) {
    this(snapshotId, loadedRows, lakeRows, null);
  }
}
