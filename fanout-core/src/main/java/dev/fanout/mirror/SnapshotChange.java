package dev.fanout.mirror;

import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;

/**
 * The files one source commit added and removed: replayed as one commit on the destination, so that
 * equality deletes keep applying to exactly the rows committed before them.
 */
record SnapshotChange(long snapshotId, List<DataFile> addedData, List<DataFile> removedData,
    List<DeleteFile> addedDeletes, List<DeleteFile> removedDeletes) {

  SnapshotChange {
    addedData = List.copyOf(addedData);
    removedData = List.copyOf(removedData);
    addedDeletes = List.copyOf(addedDeletes);
    removedDeletes = List.copyOf(removedDeletes);
  }
}
