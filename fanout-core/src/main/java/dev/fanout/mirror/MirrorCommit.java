package dev.fanout.mirror;

import java.util.List;
import org.apache.iceberg.ContentFile;

/**
 * One commit a sync makes on the destination: source files to add (shipped first) and destination files
 * to remove, replaying one source commit (or, for a full copy, one run of sequence numbers).
 */
record MirrorCommit(Long sourceSnapshotId, List<ContentFile<?>> add, List<ContentFile<?>> remove) {
  MirrorCommit {
    add = List.copyOf(add);
    remove = List.copyOf(remove);
  }
}
