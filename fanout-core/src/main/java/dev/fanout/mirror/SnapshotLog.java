package dev.fanout.mirror;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.SnapshotUtil;

/** The commits of a table since a given snapshot, oldest first, read from its snapshot log. */
final class SnapshotLog {
  private SnapshotLog() {}

  /**
   * The changes of every snapshot after {@code since} up to the current one, or empty when {@code since}
   * is no longer an ancestor of the current snapshot (expired, or the table was rolled back or rewritten):
   * then only a full copy is safe.
   */
  static Optional<List<SnapshotChange>> changesSince(Table table, long since) {
    Snapshot current = table.currentSnapshot();
    if (current == null || table.snapshot(since) == null
        || !SnapshotUtil.isAncestorOf(table, current.snapshotId(), since)) {
      return Optional.empty();
    }
    List<Snapshot> newerFirst = new ArrayList<>();
    for (Snapshot s : SnapshotUtil.ancestorsBetween(table, current.snapshotId(), since)) {
      newerFirst.add(s);
    }
    Collections.reverse(newerFirst);
    FileIO io = table.io();
    List<SnapshotChange> changes = new ArrayList<>();
    for (Snapshot s : newerFirst) {
      changes.add(new SnapshotChange(s.snapshotId(), list(s.addedDataFiles(io)), list(s.removedDataFiles(io)),
          listDeletes(s.addedDeleteFiles(io)), listDeletes(s.removedDeleteFiles(io))));
    }
    return Optional.of(changes);
  }

  private static List<DataFile> list(Iterable<DataFile> files) {
    List<DataFile> out = new ArrayList<>();
    files.forEach(f -> out.add(f.copy()));
    return out;
  }

  private static List<DeleteFile> listDeletes(Iterable<DeleteFile> files) {
    List<DeleteFile> out = new ArrayList<>();
    files.forEach(f -> out.add(f.copy()));
    return out;
  }
}
