package dev.fanout.sync;

import dev.fanout.FanoutException;
import dev.fanout.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.copy.Copier;
import dev.fanout.copy.CopyEngine;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.RemoteDelivery;
import dev.fanout.replication.RemoteInstance;
import dev.fanout.replication.RemoteLake;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fanout sync}: brings a lake table of this instance to another instance's cluster, copying only
 * what changed since the last sync. The destination's own snapshots say how far it is: each commit a
 * sync makes carries the source table's UUID and the source snapshot up to which every change is there,
 * so a sync that died after committing is never replayed, and a commit by anyone else is noticed. All
 * commits of one sync go to a branch first and reach the table's main branch in one step: a reader of the
 * destination sees the table before the sync or after it, never in between.
 */
public final class TableSync {
  static final String BRANCH = "fanout-sync";
  static final String SYNCED_FROM = "fanout.synced-from";
  static final String SYNCED_TO = "fanout.synced-to";
  static final String SOURCE_SNAPSHOT = "fanout.source-snapshot";
  private static final Logger LOG = LoggerFactory.getLogger(TableSync.class);

  private final Instance instance;
  private final SyncStateRepository states;
  private final LongConsumer progress;

  public TableSync(Instance instance, LongConsumer bytesCopied) {
    this.instance = instance;
    this.states = new SyncStateRepository(instance.transactions());
    this.progress = bytesCopied;
  }

  public SyncStateRepository states() {
    return states;
  }

  public SyncResult sync(SyncRequest request) {
    if (request.force() && !request.full()) {
      throw new FanoutException("--force replaces a destination table that is not a replica and needs --full too.");
    }
    RemoteInstance remote = instance.remoteInstances().find(request.destination()).orElseThrow(() ->
        new FanoutException("'" + request.destination() + "' is not an instance; 'fanout instance list' shows the"
            + " instances this one can sync to."));
    Table source = instance.catalog().find(request.table()).orElseThrow(() -> new FanoutException("Table "
        + request.table() + " does not exist on this instance ('fanout table list' shows imported tables; any"
        + " table of its lake catalog can be synced)."));
    PartitionFilter filter = request.partitionFilter() == null ? null
        : PartitionFilter.parse(request.partitionFilter(), source);
    try (SyncLock lock = SyncLock.acquire(states, request.table(), remote.name());
        RemoteLake lake = RemoteLake.open(instance, remote)) {
      Instant started = Instant.now();
      SyncResult result = run(request, remote, source, filter, lake.catalog(), started);
      states.record(new SyncState(request.table(), remote.name(), ReplicaTable.metadata(source).uuid(),
          result.syncedTo(), result.targetSnapshotId(), result.mode(), result.filesCopied(), result.bytesCopied(),
          Instant.now()));
      return result;
    }
  }

  private SyncResult run(SyncRequest request, RemoteInstance remote, Table source, PartitionFilter filter,
      LakeCatalog lake, Instant started) {
    TableName name = request.table();
    String sourceUuid = ReplicaTable.metadata(source).uuid();
    Optional<SyncState> state = states.find(name, remote.name());
    List<String> warnings = new ArrayList<>();
    Optional<Table> existing = lake.find(name);
    SyncMode mode;
    Long syncedTo = null;
    Table target;
    if (existing.isEmpty()) {
      if (state.isPresent()) {
        warn(warnings, name + " no longer exists on " + remote.name() + " (it was dropped after the last sync);"
            + " it is made again with a full copy.");
      }
      mode = state.isPresent() ? SyncMode.FULL : SyncMode.FIRST;
      target = ReplicaTable.create(lake, name, source);
      try {
        return fill(request, remote, source, filter, target, mode, null, warnings, started);
      } catch (RuntimeException e) {
        // no empty table is left behind; the files copied so far stay and are not copied again next time
        dropQuietly(lake, name);
        throw e;
      }
    } else {
      target = existing.get();
      String replicaOf = target.properties().get(ReplicaTable.REPLICA_OF);
      boolean ourOldSource = replicaOf != null && state.map(s -> replicaOf.equals(s.sourceUuid())).orElse(false);
      if (replicaOf == null || (!replicaOf.equals(sourceUuid) && !ourOldSource)) {
        if (!request.force()) {
          throw new FanoutException(name + " on " + remote.name() + " is not a replica of this instance's " + name
              + " (Fanout did not make it from this table); sync with --full --force to replace it.");
        }
        warn(warnings, name + " on " + remote.name() + " was not a replica of this table; it is replaced (--force).");
        target = recreate(lake, name, source);
        mode = SyncMode.FULL;
      } else if (!replicaOf.equals(sourceUuid)) {
        warn(warnings, name + " was replaced at the source (dropped and created again) since the last sync;"
            + " the copy on " + remote.name() + " is made again with a full copy.");
        target = recreate(lake, name, source);
        mode = SyncMode.FULL;
      } else {
        Map<String, String> marker = target.currentSnapshot() == null ? Map.of() : target.currentSnapshot().summary();
        if (target.currentSnapshot() != null && !sourceUuid.equals(marker.get(SYNCED_FROM))) {
          warn(warnings, name + " on " + remote.name() + " was changed by someone else since the last sync"
              + " (snapshot " + target.currentSnapshot().snapshotId() + "); a full copy makes it equal again.");
          mode = SyncMode.FULL;
        } else {
          // kept by a partition-filtered full copy too: the rest of the table is still at that position
          syncedTo = marker.containsKey(SYNCED_TO) ? Long.valueOf(marker.get(SYNCED_TO)) : null;
          mode = request.full() || syncedTo == null ? SyncMode.FULL : SyncMode.INCREMENTAL;
        }
      }
    }
    return fill(request, remote, source, filter, target, mode, syncedTo, warnings, started);
  }

  /** Plans, ships and commits the sync on an existing destination table. */
  private SyncResult fill(SyncRequest request, RemoteInstance remote, Table source, PartitionFilter filter,
      Table target, SyncMode mode, Long syncedTo, List<String> warnings, Instant started) {
    TableName name = request.table();
    String sourceUuid = ReplicaTable.metadata(source).uuid();
    ReplicaTable.align(target, source, name);

    Cluster targetCluster = new RemoteDelivery(instance).remoteCluster(remote);
    PathMap paths = new PathMap(source.location(), target.location());
    SyncPlanner planner = new SyncPlanner(paths, filter);
    Long sourceSnapshot = source.currentSnapshot() == null ? null : source.currentSnapshot().snapshotId();
    Optional<List<SnapshotChange>> changes = mode == SyncMode.INCREMENTAL
        ? SnapshotLog.changesSince(source, syncedTo) : Optional.empty();
    // no new source commit: nothing to compare, so the destination's manifests are not read
    LiveFiles targetLive = changes.map(List::isEmpty).orElse(false) ? LiveFiles.empty() : LiveFiles.of(target);
    List<SyncCommit> commits;
    if (mode == SyncMode.INCREMENTAL) {
      if (changes.isPresent()) {
        commits = planner.incremental(changes.get(), targetLive);
      } else {
        warn(warnings, "Source snapshot " + syncedTo + " of " + name + ", where the last sync to " + remote.name()
            + " ended, has expired or is no longer in the table's history; a full copy follows.");
        mode = SyncMode.FULL;
        commits = planner.full(LiveFiles.of(source), targetLive, sourceSnapshot == null ? 0 : sourceSnapshot);
      }
    } else {
      commits = planner.full(LiveFiles.of(source), targetLive, sourceSnapshot == null ? 0 : sourceSnapshot);
    }
    if (commits.isEmpty()) {
      SyncMode done = mode == SyncMode.INCREMENTAL ? SyncMode.NOTHING : mode;
      return new SyncResult(name, remote.name(), done, request.partitionFilter(), 0, 0, 0, 0, 0, 0, sourceSnapshot,
          target.currentSnapshot() == null ? null : target.currentSnapshot().snapshotId(), syncedTo, warnings,
          Duration.between(started, Instant.now()));
    }

    FileShipper shipper = new FileShipper(copier(remote), fileSystem(source), targetCluster.fs(), paths, source, target);
    List<ContentFile<?>> toShip = new ArrayList<>();
    commits.forEach(c -> toShip.addAll(c.add()));
    FileShipper.Shipped shipped = shipper.ship(toShip, targetLive);

    // the marker a later sync starts from: a partition-filtered sync leaves the table-wide position alone
    String syncedToAfter = filter != null ? (syncedTo == null ? null : syncedTo.toString())
        : sourceSnapshot == null ? null : sourceSnapshot.toString();
    long head = commitOnBranch(target, commits, shipped, sourceUuid, syncedToAfter, filter);
    publish(target, head);

    int data = 0;
    int deletes = 0;
    int removed = 0;
    for (SyncCommit c : commits) {
      for (ContentFile<?> f : c.add()) {
        if (f instanceof DataFile) {
          data++;
        } else {
          deletes++;
        }
      }
      removed += c.remove().size();
    }
    return new SyncResult(name, remote.name(), mode, request.partitionFilter(), commits.size(), data, deletes, removed,
        shipped.copy().bytesCopied(), shipped.copy().filesSkipped(), sourceSnapshot, head,
        syncedToAfter == null ? null : Long.valueOf(syncedToAfter), warnings,
        Duration.between(started, Instant.now()));
  }

  private long commitOnBranch(Table target, List<SyncCommit> commits, FileShipper.Shipped shipped, String sourceUuid,
      String syncedTo, PartitionFilter filter) {
    target.refresh();
    try {
      if (target.refs().containsKey(BRANCH)) {
        // left by a sync that died before publishing: its commits are replayed from the marker on main
        target.manageSnapshots().removeBranch(BRANCH).commit();
      }
      if (target.currentSnapshot() != null) {
        target.manageSnapshots().createBranch(BRANCH, target.currentSnapshot().snapshotId()).commit();
      }
      for (SyncCommit c : commits) {
        RowDelta delta = target.newRowDelta().toBranch(BRANCH);
        for (ContentFile<?> f : c.remove()) {
          if (f instanceof DataFile d) {
            delta.removeRows(d);
          } else {
            delta.removeDeletes((DeleteFile) f);
          }
        }
        for (ContentFile<?> f : c.add()) {
          ContentFile<?> there = shipped.files().get(f.location());
          if (there instanceof DataFile d) {
            delta.addRows(d);
          } else if (there != null) {
            delta.addDeletes((DeleteFile) there);
          }
        }
        delta.set(SYNCED_FROM, sourceUuid).set(SOURCE_SNAPSHOT, String.valueOf(c.sourceSnapshotId()));
        if (syncedTo != null) {
          delta.set(SYNCED_TO, syncedTo);
        }
        if (filter != null) {
          delta.set("fanout.partition-filter", filter.text());
        }
        delta.commit();
      }
      target.refresh();
      return target.refs().get(BRANCH).snapshotId();
    } catch (CommitFailedException e) {
      throw new FanoutException("Could not commit the sync of " + target.name() + " on the destination (" + e.getMessage()
          + "); another writer changed it meanwhile: run the sync again.", e);
    }
  }

  /** Moves the destination's main branch to the synced head in one metadata commit. */
  private static void publish(Table target, long head) {
    SnapshotRef main = target.refs().get(SnapshotRef.MAIN_BRANCH);
    try {
      if (main == null) {
        target.manageSnapshots().setCurrentSnapshot(head).removeBranch(BRANCH).commit();
      } else {
        target.manageSnapshots().fastForwardBranch(SnapshotRef.MAIN_BRANCH, BRANCH).removeBranch(BRANCH).commit();
      }
    } catch (CommitFailedException | IllegalArgumentException e) {
      throw new FanoutException("Could not publish the sync of " + target.name() + " on the destination: "
          + e.getMessage() + "; another writer changed it meanwhile: run the sync again.", e);
    }
    target.refresh();
  }

  private static void dropQuietly(LakeCatalog lake, TableName name) {
    try {
      lake.catalog().dropTable(LakeCatalog.identifier(name), false);
    } catch (RuntimeException e) {
      LOG.warn("Could not drop the empty table {} after a failed first sync: {}", name, e.getMessage());
    }
  }

  private Table recreate(LakeCatalog lake, TableName name, Table source) {
    // the old table's files stay where they are: dropping is not purging
    lake.catalog().dropTable(LakeCatalog.identifier(name), false);
    return ReplicaTable.create(lake, name, source);
  }

  /** The destination's copy engine; the local one reports progress as it goes. */
  private Copier copier(RemoteInstance remote) {
    long bandwidth = remote.copyBandwidth() == null ? 0 : remote.copyBandwidth();
    if (remote.copyEngine() != CopyEngine.LOCAL) {
      return remote.copyEngine().copier(instance.cluster().conf(), bandwidth);
    }
    return ParallelCopier.builder().bandwidth(bandwidth).progress(progress == null ? b -> { } : progress).build();
  }

  private FileSystem fileSystem(Table source) {
    try {
      return new Path(source.location()).getFileSystem(instance.cluster().conf());
    } catch (IOException e) {
      throw new FanoutException("Cannot open the file system of " + source.location() + ": " + e.getMessage(), e);
    }
  }

  private static void warn(List<String> warnings, String warning) {
    LOG.warn(warning);
    warnings.add(warning);
  }
}
