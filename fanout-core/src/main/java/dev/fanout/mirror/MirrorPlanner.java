package dev.fanout.mirror;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileContent;

/**
 * Turns what changed at the source into the commits to make on the destination. Equality deletes apply
 * only to rows committed before them, so commits keep the source's order: an incremental sync merges
 * source commits into one destination commit, and a full copy adds files in the order of their sequence
 * numbers; either starts a new commit wherever equality deletes must come after earlier data.
 */
final class MirrorPlanner {
  private final PathMap paths;
  private final PartitionFilter filter;

  MirrorPlanner(PathMap paths, PartitionFilter filter) {
    this.paths = paths;
    this.filter = filter;
  }

  /**
   * The commits replaying {@code changes}, against what the destination already holds: a file already
   * there is not added again and a file not there is not removed (a partition-filtered sync may have
   * brought it), and a file added and removed again within the changes is never shipped. Source commits
   * are merged into one destination commit except where equality deletes must come after earlier data.
   */
  List<MirrorCommit> incremental(List<SnapshotChange> changes, LiveFiles target) {
    Set<String> shortLived = shortLived(changes);
    List<MirrorCommit> commits = new ArrayList<>();
    List<ContentFile<?>> add = new ArrayList<>();
    List<ContentFile<?>> remove = new ArrayList<>();
    Long last = null;
    for (SnapshotChange change : changes) {
      List<ContentFile<?>> adding = new ArrayList<>();
      for (ContentFile<?> f : concat(change.addedData(), change.addedDeletes())) {
        if (!shortLived.contains(f.location()) && selected(f) && there(target, f) == null) {
          adding.add(f);
        }
      }
      if (startsNewCommit(add, adding) && last != null) {
        commits.add(new MirrorCommit(last, add, remove));
        add = new ArrayList<>();
        remove = new ArrayList<>();
      }
      for (ContentFile<?> f : concat(change.removedData(), change.removedDeletes())) {
        if (!shortLived.contains(f.location()) && selected(f)) {
          ContentFile<?> there = there(target, f);
          if (there != null) {
            remove.add(there);
            target.remove(there);
          }
        }
      }
      add.addAll(adding);
      last = change.snapshotId();
    }
    if (!add.isEmpty() || !remove.isEmpty()) {
      commits.add(new MirrorCommit(last, add, remove));
    }
    return commits;
  }

  /**
   * The commits that make the destination equal to {@code source} (within the filter): the first removes
   * what the destination holds, the next add the source's files by ascending data sequence number.
   */
  List<MirrorCommit> full(LiveFiles source, LiveFiles target, long sourceSnapshotId) {
    List<ContentFile<?>> remove = new ArrayList<>();
    for (ContentFile<?> f : concat(List.copyOf(target.data().values()), List.copyOf(target.deletes().values()))) {
      if (selected(f)) {
        remove.add(f);
      }
    }
    TreeMap<Long, List<ContentFile<?>>> bySequence = new TreeMap<>();
    for (ContentFile<?> f : concat(List.copyOf(source.data().values()), List.copyOf(source.deletes().values()))) {
      if (selected(f)) {
        Long seq = f.dataSequenceNumber();
        bySequence.computeIfAbsent(seq == null ? 0L : seq, s -> new ArrayList<>()).add(f);
      }
    }
    List<MirrorCommit> commits = new ArrayList<>();
    if (!remove.isEmpty()) {
      commits.add(new MirrorCommit(sourceSnapshotId, List.of(), remove));
    }
    List<ContentFile<?>> batch = new ArrayList<>();
    for (Map.Entry<Long, List<ContentFile<?>>> group : bySequence.entrySet()) {
      if (startsNewCommit(batch, group.getValue())) {
        commits.add(new MirrorCommit(sourceSnapshotId, batch, List.of()));
        batch = new ArrayList<>();
      }
      batch.addAll(group.getValue());
    }
    if (!batch.isEmpty()) {
      commits.add(new MirrorCommit(sourceSnapshotId, batch, List.of()));
    }
    return commits;
  }

  /** Equality deletes apply only to rows of earlier commits: they cannot share a commit with earlier data. */
  private static boolean startsNewCommit(List<ContentFile<?>> batch, List<ContentFile<?>> next) {
    return next.stream().anyMatch(f -> f.content() == FileContent.EQUALITY_DELETES)
        && batch.stream().anyMatch(f -> f.content() == FileContent.DATA);
  }

  private boolean selected(ContentFile<?> f) {
    return filter == null || filter.matches(f);
  }

  private ContentFile<?> there(LiveFiles target, ContentFile<?> sourceFile) {
    String path = paths.target(sourceFile.location());
    ContentFile<?> data = target.data().get(path);
    return data != null ? data : target.deletes().get(path);
  }

  /** Files both added and removed within the changes: they never need to reach the destination. */
  private static Set<String> shortLived(List<SnapshotChange> changes) {
    Set<String> added = new HashSet<>();
    Set<String> both = new HashSet<>();
    for (SnapshotChange c : changes) {
      for (ContentFile<?> f : concat(c.removedData(), c.removedDeletes())) {
        if (added.contains(f.location())) {
          both.add(f.location());
        }
      }
      for (ContentFile<?> f : concat(c.addedData(), c.addedDeletes())) {
        added.add(f.location());
      }
    }
    return both;
  }

  private static List<ContentFile<?>> concat(List<? extends ContentFile<?>> a, List<? extends ContentFile<?>> b) {
    List<ContentFile<?>> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
