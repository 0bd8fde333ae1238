package dev.fanout.mirror;

import dev.fanout.events.Reported;

import dev.fanout.events.FanoutListener;

import dev.fanout.events.Event;

import dev.fanout.replication.CopyJobQueue;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.copy.Copier;
import dev.fanout.copy.CopyEngine;
import dev.fanout.copy.CopyResult;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.load.LakeCatalog;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.Lease;
import dev.fanout.lease.Leases;
import dev.fanout.metadata.TableName;
import dev.fanout.instance.RemoteInstance;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
public final class TableMirror {
  static final String BRANCH = "fanout-sync";
  static final String SYNCED_FROM = "fanout.synced-from";
  static final String SYNCED_TO = "fanout.synced-to";
  static final String SOURCE_SNAPSHOT = "fanout.source-snapshot";
  private static final Logger LOG = LoggerFactory.getLogger(TableMirror.class);

  private final Instance instance;
  private final Remotes remotes;
  private final MirrorStateRepository states;
  private final FanoutListener listener;

  public TableMirror(Instance instance, Remotes remotes, FanoutListener listener) {
    this.instance = instance;
    this.remotes = remotes;
    this.states = new MirrorStateRepository(instance.transactions());
    this.listener = listener;
  }

  /** Syncs between a MIRROR STARTED event and one DONE (bytes copied) or FAILED event; PROGRESS in between. */
  public MirrorResult sync(MirrorRequest request) {
    Event started = Event.of(Event.Kind.MIRROR, Event.Phase.STARTED).withTable(request.table())
        .withDestination(request.destination());
    return Reported.run(listener, started, () -> syncNow(request, started),
        r -> started.withBytes(r.bytesCopied()));
  }

  private MirrorResult syncNow(MirrorRequest request, Event started) {
    if (request.force() && !request.full()) {
      throw new FanoutException("--force replaces a destination table that is not a replica and needs --full too.");
    }
    RemoteInstance remote = instance.remoteInstances().find(request.destination()).orElseThrow(() ->
        new NeedsPersonException("'" + request.destination() + "' is not an instance; 'fanout instance list' shows the"
            + " instances this one can sync to."));
    Table source = instance.catalog().find(request.table()).orElseThrow(() -> new NeedsPersonException("Table "
        + request.table() + " does not exist on this instance ('fanout table list' shows imported tables; any"
        + " table of its lake catalog can be synced)."));
    PartitionFilter filter = request.partitionFilter() == null ? null
        : PartitionFilter.parse(request.partitionFilter(), source);
    try (HeldLease lease = HeldLease.acquire(instance.leases(), Lease.mirrorOf(request.table(), remote.name()),
        Leases.length(), "The sync of " + request.table() + " to " + remote.name(), null)) {
      Instance lake = remotes.open(remote.name());
      try {
        MirrorResult result = new Run(request, remote, lake, source, filter, lease, started).run();
        states.record(new MirrorState(request.table(), remote.name(), ReplicaTable.metadata(source).uuid(),
            result.syncedTo(), result.targetSnapshotId(), result.mode(), result.filesCopied(), result.bytesCopied(),
            Instant.now()), c -> {
              lease.checkHeld(c);
              return null;
            });
        if (filter == null && (result.mode() == MirrorMode.FULL || result.mode() == MirrorMode.FIRST)) {
          // the whole table is there now: increments whose copy a person cancelled are no longer missing
          new CopyJobQueue(instance.transactions()).mendGaps(request.table(), remote.name());
        }
        return result;
      } catch (RuntimeException e) {
        throw lease.explain(e);
      }
    }
  }

  /** One sync: decides how it runs from what the destination holds, then plans, ships and commits. */
  private final class Run {
    private final Instant started = Instant.now();
    private final List<String> warnings = new ArrayList<>();
    private final MirrorRequest request;
    private final TableName name;
    private final RemoteInstance remote;
    private final Instance lake;
    private final Table source;
    private final String sourceUuid;
    private final PartitionFilter filter;
    private final HeldLease lease;
    private final Event report;

    Run(MirrorRequest request, RemoteInstance remote, Instance lake, Table source, PartitionFilter filter,
        HeldLease lease, Event report) {
      this.lease = lease;
      this.report = report;
      this.request = request;
      this.name = request.table();
      this.remote = remote;
      this.lake = lake;
      this.source = source;
      this.sourceUuid = ReplicaTable.metadata(source).uuid();
      this.filter = filter;
    }

    MirrorResult run() {
      Optional<MirrorState> state = states.find(name, remote.name());
      Optional<Table> existing = lake.catalog().find(name);
      if (existing.isEmpty()) {
        if (state.isPresent()) {
          warn(name + " no longer exists on " + remote.name() + " (it was dropped after the last sync);"
              + " it is made again with a full copy.");
        }
        Table target = ReplicaTable.create(lake.catalog(), name, source);
        try {
          return fill(target, state.isPresent() ? MirrorMode.FULL : MirrorMode.FIRST, null);
        } catch (RuntimeException e) {
          // no empty table is left behind; the files copied so far stay and are not copied again next time
          dropQuietly(lake.catalog(), name);
          throw e;
        }
      }
      Table target = existing.get();
      String replicaOf = target.properties().get(ReplicaTable.REPLICA_OF);
      boolean ourOldSource = replicaOf != null && state.map(s -> replicaOf.equals(s.sourceUuid())).orElse(false);
      if (replicaOf == null || (!replicaOf.equals(sourceUuid) && !ourOldSource)) {
        if (!request.force()) {
          throw new FanoutException(name + " on " + remote.name() + " is not a replica of this instance's " + name
              + " (Fanout did not make it from this table); sync with --full --force to replace it.");
        }
        warn(name + " on " + remote.name() + " was not a replica of this table; it is replaced (--force).");
        return fill(recreate(target), MirrorMode.FULL, null);
      }
      if (!replicaOf.equals(sourceUuid)) {
        warn(name + " was replaced at the source (dropped and created again) since the last sync;"
            + " the copy on " + remote.name() + " is made again with a full copy.");
        return fill(recreate(target), MirrorMode.FULL, null);
      }
      Map<String, String> marker = target.currentSnapshot() == null ? Map.of() : target.currentSnapshot().summary();
      if (target.currentSnapshot() != null && !sourceUuid.equals(marker.get(SYNCED_FROM))) {
        warn(name + " on " + remote.name() + " was changed by someone else since the last sync"
            + " (snapshot " + target.currentSnapshot().snapshotId() + "); a full copy makes it equal again.");
        return fill(target, MirrorMode.FULL, null);
      }
      // kept by a partition-filtered full copy too: the rest of the table is still at that position
      Long syncedTo = marker.containsKey(SYNCED_TO) ? Long.valueOf(marker.get(SYNCED_TO)) : null;
      return fill(target, request.full() || syncedTo == null ? MirrorMode.FULL : MirrorMode.INCREMENTAL, syncedTo);
    }

    /** Plans, ships and commits the sync on the destination table, starting from {@code syncedTo}. */
    private MirrorResult fill(Table target, MirrorMode mode, Long syncedTo) {
      ReplicaTable.align(target, source, name);
      PathMap paths = new PathMap(source.location(), target.location(), declaredDataPaths(source),
          request.filesElsewhere(), instance.home().orElse(null));
      MirrorPlanner planner = new MirrorPlanner(paths, filter);
      Long sourceSnapshot = source.currentSnapshot() == null ? null : source.currentSnapshot().snapshotId();
      Optional<List<SnapshotChange>> changes = mode == MirrorMode.INCREMENTAL
          ? SnapshotLog.changesSince(source, syncedTo) : Optional.empty();
      // no new source commit: nothing to compare, so the destination's manifests are not read
      LiveFiles targetLive = changes.map(List::isEmpty).orElse(false) ? LiveFiles.empty() : LiveFiles.of(target);
      List<MirrorCommit> commits;
      if (changes.isPresent()) {
        commits = planner.incremental(changes.get(), targetLive);
      } else {
        if (mode == MirrorMode.INCREMENTAL) {
          warn("Source snapshot " + syncedTo + " of " + name + ", where the last sync to " + remote.name()
              + " ended, has expired or is no longer in the table's history; a full copy follows.");
          mode = MirrorMode.FULL;
        }
        commits = planner.full(LiveFiles.of(source), targetLive, sourceSnapshot == null ? 0 : sourceSnapshot);
      }
      if (commits.isEmpty()) {
        Long head = target.currentSnapshot() == null ? null : target.currentSnapshot().snapshotId();
        return result(mode == MirrorMode.INCREMENTAL ? MirrorMode.NOTHING : mode, commits, CopyResult.NONE, sourceSnapshot,
            head, syncedTo);
      }

      FileShipper shipper = new FileShipper(copier(remote, report), fileSystem(source), lake.cluster().fs(), paths, source,
          target);
      List<ContentFile<?>> toShip = new ArrayList<>();
      commits.forEach(c -> toShip.addAll(c.add()));
      FileShipper.Shipped shipped = shipper.ship(toShip, targetLive);

      // where a later sync starts: a partition-filtered sync leaves the table-wide position alone
      Long syncedToAfter = filter != null ? syncedTo : sourceSnapshot;
      // the destination's Iceberg commits are in its catalog's transactions: the lease is checked just before each
      stillHeld();
      long head = commitOnBranch(target, commits, shipped, sourceUuid, syncedToAfter, filter);
      stillHeld();
      publish(target, head);
      return result(mode, commits, shipped.copy(), sourceSnapshot, head, syncedToAfter);
    }

    private void stillHeld() {
      instance.transactions().run("checking the sync lease", c -> {
        lease.checkHeld(c);
        return null;
      });
    }

    private MirrorResult result(MirrorMode mode, List<MirrorCommit> commits, CopyResult copy, Long sourceSnapshot,
        Long head, Long syncedTo) {
      int data = 0;
      int deletes = 0;
      int removed = 0;
      for (MirrorCommit c : commits) {
        for (ContentFile<?> f : c.add()) {
          if (f instanceof DataFile) {
            data++;
          } else {
            deletes++;
          }
        }
        removed += c.remove().size();
      }
      return new MirrorResult(name, remote.name(), mode, request.partitionFilter(), commits.size(), data, deletes,
          removed, copy.bytesCopied(), copy.filesSkipped(), sourceSnapshot, head, syncedTo,
          warnings, Duration.between(started, Instant.now()));
    }

    private Table recreate(Table target) {
      // the old table's files stay where they are: dropping is not purging
      lake.catalog().catalog().dropTable(LakeCatalog.identifier(name), false);
      return ReplicaTable.create(lake.catalog(), name, source);
    }

    private void warn(String warning) {
      LOG.warn(warning);
      warnings.add(warning);
    }
  }

  private static long commitOnBranch(Table target, List<MirrorCommit> commits, FileShipper.Shipped shipped,
      String sourceUuid, Long syncedTo, PartitionFilter filter) {
    target.refresh();
    try {
      if (target.refs().containsKey(BRANCH)) {
        // left by a sync that died before publishing: its commits are replayed from the marker on main
        target.manageSnapshots().removeBranch(BRANCH).commit();
      }
      if (target.currentSnapshot() != null) {
        target.manageSnapshots().createBranch(BRANCH, target.currentSnapshot().snapshotId()).commit();
      }
      for (MirrorCommit c : commits) {
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
          delta.set(SYNCED_TO, syncedTo.toString());
        }
        if (filter != null) {
          delta.set("fanout.partition-filter", filter.text());
        }
        delta.commit();
      }
      target.refresh();
      return target.refs().get(BRANCH).snapshotId();
    } catch (CommitFailedException e) {
      throw new FanoutException("Could not commit the sync of " + target.name() + " on the destination ("
          + e.getMessage() + "); another writer changed it meanwhile: run the sync again.", e);
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

  /** Where the table's properties say its writers put data files, besides its location. */
  private static List<String> declaredDataPaths(Table source) {
    return java.util.stream.Stream.of(org.apache.iceberg.TableProperties.WRITE_DATA_LOCATION,
            org.apache.iceberg.TableProperties.WRITE_FOLDER_STORAGE_LOCATION,
            org.apache.iceberg.TableProperties.OBJECT_STORE_PATH)
        .map(source.properties()::get).filter(java.util.Objects::nonNull).toList();
  }

  private static void dropQuietly(LakeCatalog lake, TableName name) {
    try {
      lake.catalog().dropTable(LakeCatalog.identifier(name), false);
    } catch (RuntimeException e) {
      LOG.warn("Could not drop the empty table {} after a failed first sync: {}", name, e.getMessage());
    }
  }

  /** The destination's copy engine; the local one reports progress as it goes. */
  private Copier copier(RemoteInstance remote, Event started) {
    long bandwidth = remote.copyBandwidth() == null ? 0 : remote.copyBandwidth();
    if (remote.copyEngine() != CopyEngine.LOCAL) {
      return remote.copyEngine().copier(instance.cluster().conf(), bandwidth);
    }
    Event progress = started.withPhase(Event.Phase.PROGRESS);
    return ParallelCopier.builder().destinationBandwidth(remote.dbUrl(), bandwidth)
        .progress(b -> listener.on(progress.withBytes(b))).build();
  }

  private FileSystem fileSystem(Table source) {
    try {
      return new Path(source.location()).getFileSystem(instance.cluster().conf());
    } catch (IOException e) {
      throw new FanoutException("Cannot open the file system of " + source.location() + ": " + e.getMessage(), e);
    }
  }
}
