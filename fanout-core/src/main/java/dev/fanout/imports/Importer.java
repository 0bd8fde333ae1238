package dev.fanout.imports;

import dev.fanout.FanoutException;
import dev.fanout.Instance;
import dev.fanout.load.IcebergTableLoader;
import dev.fanout.load.LoadResult;
import dev.fanout.load.SchemaPlan;
import dev.fanout.load.TableLoader;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.ImportStatisticsRepository;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.metadata.TableName;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SourceTable;
import dev.fanout.source.SplitPlanner;
import dev.fanout.source.SplitReader;
import dev.fanout.source.SqlErrors;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import dev.fanout.source.ValueReader;
import dev.fanout.source.ValueReaders;
import dev.fanout.source.Watermark;
import dev.fanout.stage.LocalStageWriter;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fanout import}: plan, stage, load, record — each step a call on a small object. A run first
 * finishes what a crashed run left: a staged import whose commit is already in the table is recorded,
 * one whose staging directory is complete is loaded, so a retry neither reads the source again nor
 * loses or duplicates an increment.
 */
public final class Importer {
  private static final Logger LOG = LoggerFactory.getLogger(Importer.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Instance instance;
  private final ImportListener listener;
  private final StagingArea staging;
  private final TableLoader loader;

  public Importer(Instance instance, ImportListener listener) {
    this.instance = instance;
    this.listener = listener;
    this.staging = new StagingArea(instance.cluster());
    this.loader = new IcebergTableLoader(instance.catalog(), instance.cluster());
  }

  public ImportResult run(TableName name) {
    ImportTableRepository tables = instance.tables();
    ImportTable table = tables.require(name);
    if (table.copySlave()) {
      throw new FanoutException("Table " + name + " is a copy_slave: it is loaded from copies of another"
          + " instance's imports, which this version cannot do yet.");
    }
    try (ImportLock ignored = ImportLock.acquire(tables, table)) {
      Instant start = Instant.now();
      for (StagedImport pending : instance.stagedImports().unloaded(table.id())) {
        ImportResult resumed = resume(table, pending, start);
        if (resumed != null) {
          return resumed;
        }
      }
      staging.removeIncomplete(name);
      return importFresh(tables.require(name), start);
    }
  }

  /** Finishes a staged import of an earlier run; null when there was nothing usable to resume. */
  private ImportResult resume(ImportTable table, StagedImport pending, Instant start) {
    Path dir = new Path(pending.stagingPath());
    var committed = loader.committed(table.target(), pending.importId());
    if (committed.isPresent()) {
      listener.message("Recording the load of " + pending.importId() + ", which an earlier run committed.");
      StageManifest manifest = staging.readManifest(dir).orElse(null);
      return new ImportResult(finish(table, pending, committed.get(), start, start,
          manifest == null ? 0 : manifest.sessions()), true);
    }
    var manifest = staging.readManifest(dir);
    if (manifest.isEmpty()) {
      instance.stagedImports().markRejected(pending.importId());
      return null;
    }
    listener.message("Resuming the load of staged import " + pending.importId() + " without reading the source again.");
    LoadResult result = load(table, pending, dir, manifest.get());
    return new ImportResult(finish(table, pending, result, start, start, manifest.get().sessions()), true);
  }

  private ImportResult importFresh(ImportTable table, Instant start) {
    TableName name = table.target();
    SourceConnection connection = instance.connections().require(table.connection());
    SourceSessions sessions =
        new SourceSessions(connection.alias(), connection.jdbcUrl(), instance.credentials(connection.sealedCredentials()));
    SourceTable source = new SourceInspector(sessions).describe(table.sourceSchema(), table.sourceTable());

    List<ImportColumn> columns = ColumnSync.sync(sessions.dialect(), source,
        instance.tables().columns(table.id()), table.primaryKeyOverride());
    warnAboutDroppedColumns(name, columns);
    LinkedHashMap<String, Type> lakeColumns = new LinkedHashMap<>();
    List<ValueReader> readers = new ArrayList<>();
    for (ImportColumn c : columns) {
      if (c.included()) {
        Type type = Types.fromPrimitiveString(c.lakeType());
        lakeColumns.put(c.name(), type);
        readers.add(ValueReaders.forColumn(c.name(), c.jdbcType(), c.sourceType(), type));
      }
    }
    Table lake = instance.catalog().find(name).orElse(null);
    SchemaPlan schemaPlan = SchemaPlan.of(name, lake, lakeColumns);
    instance.transactions().run("updating the columns of " + name, c -> {
      ImportTableRepository.replaceColumns(c, table.id(), columns);
      return null;
    });

    String from = sessions.dialect().qualified(source.schema(), source.table());
    IncrementRange range = table.isIncremental() ? incrementRange(table, source, sessions, from, lakeColumns) : null;
    SqlFragment filter = range == null ? SqlFragment.TRUE : range.filter(sessions.dialect());
    TableRead read = new TableRead(source.qualifiedName(), from, new ArrayList<>(lakeColumns.keySet()), readers, filter);
    SplitReader reader = new SplitReader(sessions);
    List<SqlFragment> splits = planSplits(table, connection, source, sessions, read, lakeColumns);

    long sourceRows = reader.count(read);
    String importId = ID_TIME.format(start) + "-" + UUID.randomUUID().toString().substring(0, 6);
    Path dir = staging.directory(name, importId);
    listener.stageStarted(name, splits.size(), sourceRows);
    List<StagedFile> files = new LocalStageWriter(instance.cluster(), sessions)
        .write(read, splits, schemaPlan.stagedSchema(), dir, listener::rowsStaged);
    long stagedRows = files.stream().mapToLong(StagedFile::rowCount).sum();
    long stagedBytes = files.stream().mapToLong(StagedFile::sizeBytes).sum();
    StageManifest manifest = new StageManifest(1, importId, name.toString(), connection.alias() + ":" + source.qualifiedName(),
        table.importType().code(), range == null ? null : range.lower(), range == null ? null : range.next(),
        sourceRows, stagedRows, stagedBytes, splits.size(),
        org.apache.iceberg.SchemaParser.toJson(schemaPlan.stagedSchema()), files, Instant.now());
    staging.writeManifest(dir, manifest);
    Instant stageStop = Instant.now();
    listener.stageFinished(name, stagedRows, stagedBytes);
    StagedImport staged = new StagedImport(importId, table.id(), dir.toString(), StagedImport.State.STAGED,
        table.importType(), manifest.incrMinValue(), manifest.incrMaxValue(), sourceRows, stagedRows, stagedBytes,
        manifest.createdAt());
    instance.stagedImports().record(staged);

    LoadResult result = load(table, staged, dir, manifest);
    return new ImportResult(finish(table, staged, result, start, stageStop, splits.size()), false);
  }

  private LoadResult load(ImportTable table, StagedImport staged, Path dir, StageManifest manifest) {
    long diff = Math.abs(manifest.sourceRowCount() - manifest.rowCount());
    if (diff > table.validateDiffAllowed()) {
      instance.stagedImports().markRejected(staged.importId());
      staging.remove(dir);
      throw new FanoutException("Validation failed for " + table.target() + ": source " + manifest.sourceRowCount()
          + " rows, staged " + manifest.rowCount() + ", loaded 0 (nothing committed; allowed difference "
          + table.validateDiffAllowed() + ").");
    }
    List<String> pk = instance.tables().columns(table.id()).stream()
        .filter(c -> c.primaryKeyPosition() > 0)
        .sorted(java.util.Comparator.comparingInt(ImportColumn::primaryKeyPosition))
        .map(ImportColumn::name).toList();
    return loader.load(table.target(), dir, manifest, table.etlMode(), pk);
  }

  private ImportStatistics finish(ImportTable table, StagedImport staged, LoadResult result, Instant start,
      Instant stageStop, int sessions) {
    ImportStatistics stats = new ImportStatistics(table.id(), table.target(), staged.importId(), staged.importType(),
        table.etlMode(), staged.incrMinValue(), staged.incrMaxValue(), sessions, staged.sourceRows(),
        staged.stagedRows(), result.loadedRows(), result.lakeRows(), staged.stagedBytes(), result.snapshotId(),
        start, stageStop, Instant.now());
    instance.transactions().run("recording the import of " + table.target(), c -> {
      ImportTableRepository.recordLoad(c, table,
          table.isIncremental() ? staged.incrMaxValue() : table.incrMaxValue(),
          staged.sourceRows(), result.lakeRows(), staged.importId());
      StagedImportRepository.markState(c, staged.importId(), StagedImport.State.LOADED);
      ImportStatisticsRepository.insert(c, stats);
      return null;
    });
    staging.remove(new Path(staged.stagingPath()));
    listener.loaded(table.target(), result);
    return stats;
  }

  private IncrementRange incrementRange(ImportTable table, SourceTable source, SourceSessions sessions, String from,
      LinkedHashMap<String, Type> lakeColumns) {
    String column = source.column(table.incrColumn()).map(c -> c.name()).orElseThrow(() -> new FanoutException(
        "Incremental column " + table.incrColumn() + " does not exist in " + source.qualifiedName() + "."));
    Type type = lakeColumns.get(column);
    if (!Watermark.supports(type)) {
      throw new FanoutException("Incremental column " + column + " of " + source.qualifiedName() + " is " + type
          + "; it must be a number, a date or a timestamp.");
    }
    try (Connection c = sessions.open();
        PreparedStatement ps = c.prepareStatement("SELECT MAX(" + sessions.dialect().quote(column) + ") FROM " + from);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Object max = Watermark.read(rs, 1, type);
      return new IncrementRange(column, type, table.incrMaxValue(), Watermark.format(max));
    } catch (SQLException e) {
      throw new FanoutException("Reading the maximum of " + column + " in " + source.qualifiedName() + " failed: "
          + SqlErrors.describe(e), e);
    }
  }

  private List<SqlFragment> planSplits(ImportTable table, SourceConnection connection, SourceTable source,
      SourceSessions sessions, TableRead read, LinkedHashMap<String, Type> lakeColumns) {
    int n = Math.max(1, Math.min(table.sessions(), connection.maxSessions()));
    String column = table.splitBy();
    if (column == null) {
      List<String> pk = source.primaryKey();
      if (n == 1 || pk.size() != 1 || !SplitPlanner.canSplitOn(lakeColumns.get(pk.get(0)))) {
        return List.of(SqlFragment.TRUE);
      }
      column = pk.get(0);
    }
    String exact = source.column(column).map(c -> c.name()).orElseThrow(() -> new FanoutException(
        "Split column " + table.splitBy() + " does not exist in " + source.qualifiedName() + "."));
    try (Connection c = sessions.open()) {
      return new SplitPlanner(sessions.dialect())
          .plan(c, source.qualifiedName(), read.from(), read.filter(), exact, lakeColumns.get(exact), n);
    } catch (SQLException e) {
      throw new FanoutException("Planning the splits of " + source.qualifiedName() + " failed: " + SqlErrors.describe(e), e);
    }
  }

  private void warnAboutDroppedColumns(TableName name, List<ImportColumn> columns) {
    for (ImportColumn c : columns) {
      if (!c.included()) {
        LOG.warn("Column {} of {} is no longer in the source; the lake table keeps it, NULL in new rows.", c.name(), name);
        listener.message("Column " + c.name() + " is gone from the source; it stays in " + name + ", NULL in new rows.");
      }
    }
  }
}
