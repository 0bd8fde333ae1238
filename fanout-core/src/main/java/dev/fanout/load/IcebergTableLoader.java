package dev.fanout.load;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Loads staged Parquet files into an Iceberg table. The staged files were written with the table's
 * field ids, so they become the table's data files as they are: each is renamed into the table's data
 * directory (no second write) and committed with its footer metrics. {@code merge} adds an equality
 * delete file of the incoming keys in the same commit, so updated rows replace their old versions.
 */
public final class IcebergTableLoader implements TableLoader {
  private final LakeCatalog catalog;
  private final Cluster cluster;

  public IcebergTableLoader(LakeCatalog catalog, Cluster cluster) {
    this.catalog = catalog;
    this.cluster = cluster;
  }

  @Override
  public LoadResult load(TableName name, Path stagingDir, StageManifest manifest, LoadOptions options) {
    catalog.ensureNamespace(name.db());
    Table existing = catalog.find(name).orElse(null);
    Schema stagedSchema = manifest.schema();
    SchemaPlan plan = SchemaPlan.of(name, existing, columnsOf(stagedSchema));
    Transaction txn = existing == null
        ? catalog.catalog().buildTable(LakeCatalog.identifier(name), plan.stagedSchema())
            .withProperty(TableProperties.FORMAT_VERSION, "2")
            .withProperty(TableProperties.PARQUET_COMPRESSION, "snappy")
            .createTransaction()
        : existing.newTransaction();
    if (plan.changesTable()) {
      org.apache.iceberg.UpdateSchema update = txn.updateSchema();
      plan.apply(update);
      update.commit();
    }
    Table table = txn.table();
    SchemaPlan.checkIds(name, stagedSchema, table.schema());

    MergeChanges changes = null;
    long loaded;
    SnapshotUpdate<?> update;
    if (options.compares()) {
      RowDelta delta = txn.newRowDelta();
      changes = new ComparingMerge(cluster, catalog, name).merge(txn, existing, stagingDir, manifest, options, delta);
      loaded = manifest.rowCount();
      update = delta;
    } else {
      List<DataFile> dataFiles = placeFiles(table, stagingDir, manifest);
      loaded = dataFiles.stream().mapToLong(DataFile::recordCount).sum();
      if (loaded != manifest.rowCount()) {
        throw new FanoutException("Validation failed for " + name + ": staged " + manifest.rowCount()
            + " rows but the files hold " + loaded + "; nothing was committed.");
      }
      update = switch (options.mode()) {
        case TRUNCATE_INSERT -> replace(txn, dataFiles);
        case INSERT -> append(txn, dataFiles);
        case MERGE -> merge(txn, table, dataFiles, stagedSchema, options.primaryKey(), manifest.importId(), name);
      };
    }
    update.set(IMPORT_ID_PROPERTY, manifest.importId());
    update.commit();
    txn.updateProperties().set(LAST_IMPORT_PROPERTY, manifest.importId())
        .set(LAST_IMPORT_ROWS_PROPERTY, Long.toString(loaded)).commit();
    try {
      txn.commitTransaction();
    } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
      // the catalog may have taken the commit (a metastore or REST call that timed out): "unchanged" would be a guess
      throw new FanoutException("Committing the load of " + name + " could not be confirmed ("
          + e.getMessage().lines().findFirst().orElse("") + "); the next 'fanout import --table " + name
          + "' finds out whether it landed.", e);
    } catch (RuntimeException e) {
      throw new FanoutException("Committing the load of " + name + " failed, so the table is unchanged: "
          + e.getMessage(), e);
    }
    Table after = catalog.require(name);
    return new LoadResult(after.currentSnapshot().snapshotId(), loaded, RowCounts.count(after), changes);
  }

  @Override
  public Optional<LoadResult> committed(TableName name, String importId) {
    Optional<Table> table = catalog.find(name);
    if (table.isEmpty()) {
      return Optional.empty();
    }
    Optional<Snapshot> commit = Rows.commitOf(table.get(), importId);
    if (commit.isPresent()) {
      Map<String, String> summary = commit.get().summary();
      MergeChanges changes = MergeChanges.fromSummary(summary);
      long added = changes != null
          ? changes.inserted() + changes.updated() + changes.unchanged()
          : Long.parseLong(summary.getOrDefault("added-records", "0"));
      return Optional.of(new LoadResult(commit.get().snapshotId(), added, RowCounts.count(table.get()), changes));
    }
    Map<String, String> properties = table.get().properties();
    if (importId.equals(properties.get(LAST_IMPORT_PROPERTY))) {
      // its snapshot has expired since, but the commit that set this property is the import's
      Snapshot current = table.get().currentSnapshot();
      return Optional.of(new LoadResult(current == null ? -1 : current.snapshotId(),
          Long.parseLong(properties.getOrDefault(LAST_IMPORT_ROWS_PROPERTY, "0")), RowCounts.count(table.get())));
    }
    return Optional.empty();
  }

  private static LinkedHashMap<String, Type> columnsOf(Schema schema) {
    LinkedHashMap<String, Type> out = new LinkedHashMap<>();
    for (Types.NestedField f : schema.columns()) {
      out.put(f.name(), f.type());
    }
    return out;
  }

  /** Renames each staged file into the table's data directory; a retry finds already-moved files there. */
  @Override
  public Path loadedFile(TableName name, String importId, String stagedFileName) {
    Table table = catalog.require(name);
    return placed(new Path(table.location(), "data"), importId, stagedFileName);
  }

  private static Path placed(Path dataDir, String importId, String stagedFileName) {
    return new Path(dataDir, importId + "-" + stagedFileName);
  }

  private List<DataFile> placeFiles(Table table, Path stagingDir, StageManifest manifest) {
    Path dataDir = new Path(table.location(), "data");
    MetricsConfig metrics = MetricsConfig.forTable(table);
    List<DataFile> out = new ArrayList<>();
    try {
      cluster.fs().mkdirs(dataDir);
      for (StagedFile f : manifest.files()) {
        Path staged = new Path(stagingDir, f.name());
        Path target = placed(dataDir, manifest.importId(), f.name());
        if (cluster.fs().exists(staged)) {
          if (!cluster.fs().rename(staged, target)) {
            throw new IOException("rename of " + staged + " to " + target + " failed");
          }
        } else if (!cluster.fs().exists(target)) {
          throw new FanoutException("Staged file " + staged + " is missing; the staging directory is damaged.");
        }
        HadoopInputFile input = HadoopInputFile.fromPath(target, cluster.fs(), cluster.conf());
        out.add(DataFiles.builder(PartitionSpec.unpartitioned())
            .withPath(target.toString())
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(input.getLength())
            .withMetrics(ParquetUtil.fileMetrics(input, metrics))
            .build());
      }
    } catch (IOException e) {
      throw new FanoutException("Cannot move staged files into " + dataDir + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static SnapshotUpdate<?> replace(Transaction txn, List<DataFile> files) {
    OverwriteFiles overwrite = txn.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
    files.forEach(overwrite::addFile);
    return overwrite;
  }

  private static SnapshotUpdate<?> append(Transaction txn, List<DataFile> files) {
    AppendFiles append = txn.newAppend();
    files.forEach(append::appendFile);
    return append;
  }

  private SnapshotUpdate<?> merge(Transaction txn, Table table, List<DataFile> files, Schema staged,
      List<String> primaryKey, String importId, TableName name) {
    if (primaryKey.isEmpty()) {
      throw new FanoutException("Table " + name + " merges by primary key but has none; set one with --pk.");
    }
    RowDelta delta = txn.newRowDelta();
    files.forEach(delta::addRows);
    if (!files.isEmpty()) {
      DeleteFile deletes = new KeyDeletes(cluster, table, staged, primaryKey, name)
          .write(files, new Path(new Path(table.location(), "data"), importId + "-keys.parquet"));
      delta.addDeletes(deletes);
    }
    return delta;
  }
}
