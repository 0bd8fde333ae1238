package dev.fanout.load;

import dev.fanout.cluster.Cluster;
import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.MergeDeletes;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.hadoop.HadoopInputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * A merge that compares the incoming rows with the table's current rows by key and content: only new and
 * changed rows are written (an unchanged table gets an empty commit, not a rewrite), keys no longer at the
 * source are deleted when asked ({@code --deletes detect}: for an increment, the keys missing from the
 * source's key files staged with it), and every row version it inserts,
 * updates or deletes goes to the history table when asked. The staged files stay in the staging
 * directory (asynchronous copies still read them there); the table gets one data file of changed rows and
 * one equality delete file of the keys they replace or remove.
 *
 * <p>The current rows are held as key to content hash in memory: about 150 bytes a row at 10 columns.
 */
final class ComparingMerge {
  private final Cluster cluster;
  private final LakeCatalog catalog;
  private final TableName name;

  ComparingMerge(Cluster cluster, LakeCatalog catalog, TableName name) {
    this.cluster = cluster;
    this.catalog = catalog;
    this.name = name;
  }

  /**
   * Adds the merge to the transaction's row delta and, when the table keeps history, commits the history
   * first (unless an earlier run did).
   *
   * @param before the table as it was before this load (null: a new table)
   */
  MergeChanges merge(Transaction txn, Table before, Path stagingDir, StageManifest manifest, LoadOptions options,
      RowDelta delta) {
    Table table = txn.table();
    Schema staged = manifest.schema();
    if (options.primaryKey().isEmpty()) {
      throw new FanoutException("Table " + name + " merges by primary key but has none; set one with --pk.");
    }
    KeyDeletes keys = new KeyDeletes(cluster, table, staged, options.primaryKey(), name);
    List<String> keyColumns = keys.columns();
    List<String> columns = names(staged);
    Schema keySchema = staged.select(keys.columns());
    Map<String, Long> current;
    try {
      // an increment brings few keys: only their current rows need a digest, the rest only their key
      Set<String> compared = "incr".equals(manifest.importType()) ? incomingKeys(stagingDir, manifest, keySchema, keys) : null;
      current = fingerprints(before, staged, keyColumns, compared);
    } catch (IOException e) {
      throw new FanoutException("Cannot read the current rows of " + name + ": " + e.getMessage(), e);
    }

    HistoryTable history = new HistoryTable(catalog, cluster, name);
    boolean writeHistory = options.history() && !history.committed(manifest.importId());
    Path dataDir = new Path(table.location(), "data");
    long inserted = 0;
    long updated = 0;
    long unchanged = 0;
    long read = 0;
    Path changedFile = new Path(dataDir, manifest.importId() + "-changes.parquet");
    Path keyFile = new Path(dataDir, manifest.importId() + "-keys.parquet");
    DataWriter<Record> changed = Rows.dataWriter(cluster, table, staged, changedFile);
    EqualityDeleteWriter<Record> deletes = keys.open(keyFile);
    HistoryTable.Writer versions = writeHistory ? history.open(staged, manifest.importId(), manifest.createdAt()) : null;
    try (changed; deletes) {
      for (StagedFile f : manifest.files()) {
        try (CloseableIterable<Record> rows = rows(new Path(stagingDir, f.name()), staged)) {
          for (Record row : rows) {
            read++;
            Long was = current.remove(RowFingerprint.key(row, keyColumns));
            if (was != null && was == RowFingerprint.content(row, columns)) {
              unchanged++;
              continue;
            }
            changed.write(row);
            if (was == null) {
              inserted++;
            } else {
              updated++;
              deletes.write(keys.keyOf(row));
            }
            if (versions != null) {
              versions.write(row, was == null ? 'I' : 'U');
            }
          }
        }
      }
      long deleted = 0;
      if (options.deletes() == MergeDeletes.DETECT && "incr".equals(manifest.importType())) {
        if (manifest.keyFiles().isEmpty()) {
          current.clear(); // an increment staged without the source's keys cannot tell what is gone
        }
        for (StagedFile f : manifest.keyFiles()) {
          try (CloseableIterable<Record> sourceKeys = rows(new Path(stagingDir, f.name()), keySchema)) {
            for (Record key : sourceKeys) {
              current.remove(RowFingerprint.key(key, keyColumns));
            }
          }
        }
      }
      if (options.deletes() == MergeDeletes.DETECT && !current.isEmpty()) {
        deleted = current.size();
        // the deleted rows' values are needed only for their history versions; else their keys suffice
        try (CloseableIterable<Record> olds = rowsOf(before, versions != null ? staged : keySchema)) {
          for (Record old : olds) {
            if (current.containsKey(RowFingerprint.key(old, keyColumns))) {
              deletes.write(keys.keyOf(old));
              if (versions != null) {
                versions.write(old, 'D');
              }
            }
          }
        }
      }
      if (read != manifest.rowCount()) {
        throw new FanoutException("Validation failed for " + name + ": staged " + manifest.rowCount()
            + " rows but the files hold " + read + "; nothing was committed.");
      }
      if (versions != null) {
        history.commit(versions.finish(), manifest.importId());
      }
      MergeChanges changes = new MergeChanges(inserted, updated, deleted, unchanged);
      changed.close();
      deletes.close();
      if (inserted + updated > 0) {
        delta.addRows(changed.toDataFile());
      } else {
        cluster.fs().delete(changedFile, false); // an empty file no commit names would stay in the table for good
      }
      if (updated + deleted > 0) {
        delta.addDeletes(deletes.toDeleteFile());
      } else {
        cluster.fs().delete(keyFile, false);
      }
      changes.summary().forEach(delta::set);
      return changes;
    } catch (IOException e) {
      throw new FanoutException("Cannot merge the staged rows into " + name + ": " + e.getMessage(), e);
    } finally {
      if (versions != null) {
        versions.close();
      }
    }
  }

  /**
   * Key to content hash of every current row, over the staged columns (a column the table lacks is NULL).
   *
   * @param compared the keys whose content is compared (null: all); the other rows map to null
   */
  private Map<String, Long> fingerprints(Table before, Schema staged, List<String> keyColumns, Set<String> compared)
      throws IOException {
    Map<String, Long> out = new HashMap<>();
    if (before == null || before.currentSnapshot() == null) {
      return out;
    }
    List<String> columns = names(staged);
    try (CloseableIterable<Record> rows = rowsOf(before, staged)) {
      for (Record row : rows) {
        String key = RowFingerprint.key(row, keyColumns);
        // a key no incoming row has is never compared: it keeps no hash (and no incoming row removes it)
        out.put(key, compared == null || compared.contains(key) ? Long.valueOf(RowFingerprint.content(row, columns)) : null);
      }
    }
    return out;
  }

  private Set<String> incomingKeys(Path stagingDir, StageManifest manifest, Schema keySchema, KeyDeletes keys)
      throws IOException {
    Set<String> out = new HashSet<>();
    for (StagedFile f : manifest.files()) {
      try (CloseableIterable<Record> rows = rows(new Path(stagingDir, f.name()), keySchema)) {
        for (Record row : rows) {
          out.add(RowFingerprint.key(row, keys.columns()));
        }
      }
    }
    return out;
  }

  /** The table's current rows (deletes applied), projected on the staged columns it has. */
  private CloseableIterable<Record> rowsOf(Table before, Schema staged) {
    List<String> present = new ArrayList<>();
    for (Types.NestedField f : staged.columns()) {
      if (before.schema().findField(f.name()) != null) {
        present.add(f.name());
      }
    }
    return IcebergGenerics.read(before).select(present.toArray(String[]::new)).build();
  }

  private CloseableIterable<Record> rows(Path file, Schema staged) {
    HadoopInputFile input = HadoopInputFile.fromPath(file, cluster.fs(), cluster.conf());
    return Parquet.read(input)
        .project(staged)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(staged, fileSchema))
        .build();
  }

  private static List<String> names(Schema schema) {
    return schema.columns().stream().map(Types.NestedField::name).toList();
  }
}
