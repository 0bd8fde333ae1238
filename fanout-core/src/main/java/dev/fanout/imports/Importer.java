package dev.fanout.imports;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.events.Reported;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.events.Reported;
import dev.fanout.failure.LeaseLostException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.Lease;
import dev.fanout.lease.Leases;
import dev.fanout.load.IcebergTableLoader;
import dev.fanout.load.LoadOptions;
import dev.fanout.load.LoadResult;
import dev.fanout.load.TableLoader;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportIds;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.AsynchronousCopies;
import dev.fanout.instance.Remotes;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.replication.SynchronousCopies;
import dev.fanout.source.SplitReader;
import dev.fanout.source.SqlFragment;
import dev.fanout.stage.LocalStageWriter;
import dev.fanout.stage.SparkStageWriter;
import dev.fanout.stage.StageSettings;
import dev.fanout.stage.StageWriter;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.SchemaParser;

/**
 * {@code fanout import}: plan, stage, copy, load, record — each step a call on a small object. A run first
 * finishes what a crashed run left: a staged import whose commit is already in the table is recorded,
 * one whose staging directory is complete is loaded, so a retry neither reads the source again nor
 * loses or duplicates an increment.
 */
public final class Importer {
  private final Instance instance;
  private final CopyRuleRepository rules;
  private final CopyJobReports jobs;
  private final FanoutListener listener;
  private final StagingArea staging;
  private final TableLoader loader;
  private final SynchronousCopies delivery;
  private final AsynchronousCopies asynchronous;

  public Importer(Instance instance, Remotes remotes, FanoutListener listener) {
    this.instance = instance;
    this.rules = new CopyRuleRepository(instance.transactions());
    this.jobs = new CopyJobReports(instance.transactions());
    this.listener = listener;
    this.staging = new StagingArea(instance.cluster());
    this.loader = new IcebergTableLoader(instance.catalog(), instance.cluster());
    this.delivery = new SynchronousCopies(instance, rules, remotes, listener);
    this.asynchronous = new AsynchronousCopies(rules, instance.remoteInstances(), instance.cluster().conf());
  }

  /**
   * Imports the table between an IMPORT STARTED event and exactly one DONE (rows loaded, bytes staged,
   * the last import id) or FAILED event, whatever goes wrong.
   */
  public ImportResult run(TableName name) {
    Event started = Event.of(Event.Kind.IMPORT, Event.Phase.STARTED).withTable(name);
    return Reported.run(listener, started, () -> runLeased(name), r -> {
      List<ImportStatistics> loads = r.loads();
      return started.withRows(loads.stream().mapToLong(ImportStatistics::loadedRows).sum())
          .withBytes(loads.stream().mapToLong(ImportStatistics::stagedBytes).sum())
          .withImportId(loads.isEmpty() ? null : loads.get(loads.size() - 1).importId());
    });
  }

  private ImportResult runLeased(TableName name) {
    ImportTable table = instance.tables().require(name);
    try (HeldLease lease = HeldLease.acquire(instance.leases(), Lease.importOf(name), Leases.length(),
        "The import of " + name, null)) {
      try {
        return run(table, lease);
      } catch (RuntimeException e) {
        throw lease.explain(e);
      }
    }
  }

  private ImportResult run(ImportTable table, HeldLease lease) {
    TableName name = table.target();
    Instant start = Instant.now();
    if (table.copySlave()) {
      return loadCopies(table, start, lease);
    }
    for (StagedImport pending : instance.stagedImports().unloaded(table.id())) {
      ImportStatistics resumed = complete(table, pending, start, true, lease);
      if (resumed != null) {
        return new ImportResult(List.of(resumed), true);
      }
    }
    staging.removeIncomplete(name, id -> instance.stagedImports().find(id).isPresent());
    ImportTable current = instance.tables().require(name);
    if (current.isIncremental()) {
      new IncrementalGuard(jobs, rules.list()).check(current);
    }
    return importFresh(current, start, lease);
  }

  /**
   * A {@code copy_slave} import: never touches the source; loads every staged import that the master
   * copied here and this instance has not loaded yet, oldest first.
   */
  private ImportResult loadCopies(ImportTable table, Instant start, HeldLease lease) {
    List<StagedImport> pending = instance.stagedImports().unloaded(table.id());
    if (pending.isEmpty() && table.lastImportId() == null) {
      throw new FanoutException("Table " + table.target() + " is a copy_slave and nothing has been copied to it yet;"
          + " wait for the master's import ('fanout wait --table " + table.target() + "').");
    }
    List<ImportStatistics> loads = new ArrayList<>();
    for (ArrivalOrder.Decision d : ArrivalOrder.decide(table.lastImportId(), table.incrMaxValue(), pending, table.history())) {
      StagedImport p = d.staged();
      switch (d.verdict()) {
        case SUPERSEDED -> supersede(table, p, d.reason(), lease);
        case HOLD -> throw new FanoutException("Copied import " + p.importId() + " of " + table.target()
            + " is held: " + d.reason() + (loads.isEmpty() ? "" : " (this run loaded " + loads.size()
            + " import(s) before it)") + "; it is loaded by the first run after that increment arrives.");
        case LOAD -> {
          ImportStatistics stats = complete(table, p, start, false, lease);
          if (stats == null) {
            throw new FanoutException("The copied staging directory " + p.stagingPath() + " of " + table.target()
                + " has no manifest; the copy from the master is damaged and must be repeated.");
          }
          loads.add(stats);
        }
      }
    }
    return new ImportResult(loads, false);
  }

  /** Records a copied full import that arrived after a newer one as superseded and drops its files. */
  private void supersede(ImportTable table, StagedImport staged, String reason, HeldLease lease) {
    Path dir = staging.directoryOf(table.target(), staged.importId(), staged.stagingPath());
    instance.inTransaction("recording import " + staged.importId() + " as superseded", work -> {
      lease.checkHeld(work);
      work.stagedImports().markState(staged.importId(), StagedImport.State.SUPERSEDED);
      return null;
    });
    staging.remove(dir);
    note(table.target(), "Not loading copied import " + staged.importId() + ": " + reason
        + "; recorded as superseded.");
  }

  /**
   * Finishes a staged import: records it if its commit is already in the table, else delivers its
   * synchronous copies (on the master) and loads it. Null when its staging directory is incomplete.
   */
  private ImportStatistics complete(ImportTable table, StagedImport pending, Instant start, boolean master,
      HeldLease lease) {
    Path dir = staging.directoryOf(table.target(), pending.importId(), pending.stagingPath());
    var committed = loader.committed(table.target(), pending.importId());
    StageManifest manifest = staging.readManifest(dir, table.target(), pending.importId()).orElse(null);
    if (committed.isPresent()) {
      note(table.target(), "Recording the load of " + pending.importId() + ", which an earlier run committed.");
      return finish(table, pending, committed.get(), start, start, manifest == null ? 0 : manifest.sessions(), lease);
    }
    if (manifest == null) {
      if (master) {
        reject(pending.importId(), lease);
      }
      return null;
    }
    note(table.target(), (master ? "Resuming the load of staged import " : "Loading copied import ") + pending.importId()
        + " without reading the source.");
    LoadResult result = copyAndLoad(table, pending, dir, manifest, master, lease);
    return finish(table, pending, result, start, start, manifest.sessions(), lease);
  }

  private ImportResult importFresh(ImportTable table, Instant start, HeldLease lease) {
    TableName name = table.target();
    ImportPlan plan = new ImportPlanner(instance, listener).plan(table);
    String importId = ImportIds.next(start);
    List<AsynchronousCopies.Planned> asyncCopies = asynchronous.plan(table, importId);
    long sourceRows = new SplitReader(plan.sessions()).count(plan.read());
    Path dir = staging.directory(name, importId);

    Event stage = Event.of(Event.Kind.STAGE, Event.Phase.STARTED).withTable(name).withImportId(importId)
        .withRows(sourceRows).withMessage(name + ": reading " + sourceRows + " rows in " + plan.splits().size()
            + " session(s)");
    StageManifest manifest = Reported.run(listener, stage, () -> {
      List<StagedFile> files = stageWriter(table, plan).write(plan.read(), plan.splits(), plan.stagedSchema(), dir,
          rows -> listener.on(stage.withPhase(Event.Phase.PROGRESS).withMessage(null).withRows(rows)));
      List<StagedFile> keyFiles = plan.keyRead() == null ? List.of()
          : new LocalStageWriter(instance.cluster(), plan.sessions(), "keys")
              .write(plan.keyRead(), List.of(SqlFragment.TRUE), plan.keySchema(), dir, rows -> { });
      if (plan.keyRead() != null) {
        note(name, "Read " + keyFiles.stream().mapToLong(StagedFile::rowCount).sum() + " keys of "
            + plan.read().displayName() + " to find deleted rows.");
      }
      StageManifest written = manifest(plan, importId, sourceRows, files, keyFiles);
      staging.writeManifest(dir, written);
      return written;
    }, m -> stage.withMessage(null).withRows(m.rowCount()).withBytes(m.totalBytes()));
    Instant stageStop = Instant.now();

    StagedImport staged = new StagedImport(importId, table.id(), dir.toString(), StagedImport.State.STAGED,
        table.importType(), manifest.incrMinValue(), manifest.incrMaxValue(), sourceRows, manifest.rowCount(),
        manifest.totalBytes(), manifest.createdAt());
    try {
      instance.inTransaction("recording staged import " + importId, work -> {
        lease.checkHeld(work);
        work.stagedImports().record(staged);
        AsynchronousCopies.enqueue(work, asyncCopies, table, staged);
        return null;
      });
    } catch (LeaseLostException e) {
      staging.remove(dir); // never recorded, so no one else will ever look at it
      throw e;
    }
    for (AsynchronousCopies.Planned p : asyncCopies) {
      note(name, "Queued the copy of " + name + " import " + importId + " to instance " + p.destination()
          + "; the server delivers it after the load here.");
    }
    LoadResult result = copyAndLoad(table, staged, dir, manifest, true, lease);
    return new ImportResult(List.of(finish(table, staged, result, start, stageStop, plan.splits().size(), lease)),
        false);
  }

  /** The table's stage engine, else the instance's default. */
  private StageWriter stageWriter(ImportTable table, ImportPlan plan) {
    StageSettings settings = instance.settings().stage();
    return switch (settings.engineFor(table.stageEngine())) {
      case LOCAL -> new LocalStageWriter(instance.cluster(), plan.sessions());
      case SPARK -> new SparkStageWriter(instance.cluster(), plan.sessions(), settings);
    };
  }

  private static StageManifest manifest(ImportPlan plan, String importId, long sourceRows, List<StagedFile> files,
      List<StagedFile> keyFiles) {
    ImportTable table = plan.table();
    return new StageManifest(1, importId, table.target().toString(), table.connection() + ":" + plan.read().displayName(),
        table.importType().code(), plan.incrMinValue(), plan.incrMaxValue(), sourceRows,
        files.stream().mapToLong(StagedFile::rowCount).sum(), files.stream().mapToLong(StagedFile::sizeBytes).sum(),
        plan.splits().size(), SchemaParser.toJson(plan.stagedSchema()), files, Instant.now(), keyFiles);
  }

  /**
   * Validates the counts, delivers the synchronous copies (on the master) and loads. Counts are checked
   * before any copy, so a remote never receives an import that must be rejected.
   */
  private LoadResult copyAndLoad(ImportTable table, StagedImport staged, Path dir, StageManifest manifest,
      boolean master, HeldLease lease) {
    // the counts recorded with the import (by this instance, or by the master that published it here) are
    // the reference: a manifest edited since must agree with them before its files are loaded
    if (manifest.sourceRowCount() != staged.sourceRows() || manifest.rowCount() != staged.stagedRows()) {
      throw new NeedsPersonException("The manifest of " + table.target() + " import " + staged.importId()
          + " says source " + manifest.sourceRowCount() + " rows, staged " + manifest.rowCount() + ", but the import"
          + " was recorded with source " + staged.sourceRows() + ", staged " + staged.stagedRows()
          + "; it was changed after staging, so nothing was loaded.");
    }
    long diff = Math.abs(staged.sourceRows() - manifest.rowCount());
    if (diff > table.validateDiffAllowed()) {
      reject(staged.importId(), lease);
      staging.remove(dir);
      throw new FanoutException("Validation failed for " + table.target() + ": source " + manifest.sourceRowCount()
          + " rows, staged " + manifest.rowCount() + ", loaded 0 (nothing committed; allowed difference "
          + table.validateDiffAllowed() + ").");
    }
    if (master) {
      stillHeld(lease);
      delivery.deliver(table, staged, lease);
    }
    List<String> pk = instance.tables().columns(table.id()).stream()
        .filter(c -> c.primaryKeyPosition() > 0)
        .sorted(java.util.Comparator.comparingInt(ImportColumn::primaryKeyPosition))
        .map(ImportColumn::name).toList();
    // the Iceberg commit is in the catalog's own transaction: the lease is checked just before it, and the
    // import's record (checked in its own transaction) is what a takeover trusts
    stillHeld(lease);
    return loader.load(table.target(), dir, manifest, new LoadOptions(table.etlMode(), pk, table.deletes(), table.history()));
  }

  private void stillHeld(HeldLease lease) {
    instance.inTransaction("checking the import lease", work -> {
      lease.checkHeld(work);
      return null;
    });
  }

  /** A staged import that will never be loaded: its copy jobs will never run either. */
  private void reject(String importId, HeldLease lease) {
    instance.inTransaction("rejecting staged import " + importId, work -> {
      lease.checkHeld(work);
      work.stagedImports().markState(importId, StagedImport.State.REJECTED);
      new CopyJobQueue(work).cancel(importId);
      return null;
    });
  }

  private ImportStatistics finish(ImportTable table, StagedImport staged, LoadResult result, Instant start,
      Instant stageStop, int sessions, HeldLease lease) {
    ImportStatistics stats = new ImportStatistics(table.id(), table.target(), staged.importId(), staged.importType(),
        table.etlMode(), staged.incrMinValue(), staged.incrMaxValue(), sessions, staged.sourceRows(),
        staged.stagedRows(), result.loadedRows(), result.lakeRows(), staged.stagedBytes(), result.snapshotId(),
        start, stageStop, Instant.now());
    instance.inTransaction("recording the import of " + table.target(), work -> {
      lease.checkHeld(work);
      work.tables().recordLoad(table, table.isIncremental() ? staged.incrMaxValue() : table.incrMaxValue(),
          staged.sourceRows(), result.lakeRows(), staged.importId());
      work.stagedImports().markState(staged.importId(), StagedImport.State.LOADED);
      work.statistics().insert(stats);
      new CopyJobQueue(work).release(staged.importId());
      return null;
    });
    // Pending asynchronous copies still need the manifest; the server removes it when the last is done.
    if (jobs.pendingOfImport(staged.importId()) == 0) {
      staging.remove(staging.directoryOf(table.target(), staged.importId(), staged.stagingPath()));
    }
    listener.on(Event.of(Event.Kind.LOAD, Event.Phase.DONE).withTable(table.target()).withImportId(staged.importId())
        .withRows(result.loadedRows()).withBytes(staged.stagedBytes())
        .withMessage(String.format("%s: loaded %d rows in one commit (snapshot %d%s); the table has %d rows",
            table.target(), result.loadedRows(), result.snapshotId(),
            result.changes() == null ? "" : ": " + result.changes(), result.lakeRows())));
    return stats;
  }

  private void note(TableName table, String text) {
    listener.on(Event.note(Event.Kind.IMPORT, table, text));
  }
}
