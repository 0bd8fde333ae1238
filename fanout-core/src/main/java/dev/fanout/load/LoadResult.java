package dev.fanout.load;

/** What one load committed: the snapshot, the rows it added, and the table's rows afterwards. */
public record LoadResult(long snapshotId, long loadedRows, long lakeRows) {}
