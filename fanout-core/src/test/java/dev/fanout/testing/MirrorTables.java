package dev.fanout.testing;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Writes and reads Iceberg tables directly in an instance's lake catalog, the way any engine (Spark, Flink,
 * Trino) would, for the {@code fanout sync} tests: appends, overwrites, merges with equality deletes,
 * position deletes, and the file lists and contents to compare a source with its replica.
 */
public final class MirrorTables {
  /** id, region (the partition source column), amount, note. */
  public static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "region", Types.StringType.get()),
      Types.NestedField.optional(3, "amount", Types.IntegerType.get()),
      Types.NestedField.optional(4, "note", Types.StringType.get()));
  public static final PartitionSpec BY_REGION = PartitionSpec.builderFor(SCHEMA).identity("region").build();
  public static final PartitionSpec UNPARTITIONED = PartitionSpec.unpartitioned();
  /** A property the replica must carry over. */
  public static final String PROPERTY = "sync.test.owner";

  private MirrorTables() {}

  public static Instance open(Path home) {
    return Instance.open(new FanoutHome(home));
  }

  /** Opens the instance, runs the action on the table, closes the instance (H2 files: keep opens short). */
  public static void edit(Path home, String table, Consumer<Table> action) {
    try (Instance instance = open(home)) {
      action.accept(instance.catalog().catalog().loadTable(TableIdentifier.parse(table)));
    }
  }

  public static <T> T read(Path home, String table, Function<Table, T> reader) {
    try (Instance instance = open(home)) {
      return reader.apply(instance.catalog().catalog().loadTable(TableIdentifier.parse(table)));
    }
  }

  public static boolean exists(Path home, String table) {
    try (Instance instance = open(home)) {
      return instance.catalog().catalog().tableExists(TableIdentifier.parse(table));
    }
  }

  /** Format version 2 (Parquet position delete files), sorted by id, with a property of its own. */
  public static void create(Path home, String table, PartitionSpec spec) {
    try (Instance instance = open(home)) {
      TableIdentifier id = TableIdentifier.parse(table);
      instance.catalog().ensureNamespace(id.namespace().level(0));
      instance.catalog().catalog().buildTable(id, SCHEMA).withPartitionSpec(spec)
          .withSortOrder(SortOrder.builderFor(SCHEMA).asc("id").build())
          .withProperties(Map.of("format-version", "2", PROPERTY, "sync-test"))
          .create();
    }
  }

  public static void drop(Path home, String table) {
    try (Instance instance = open(home)) {
      if (!instance.catalog().catalog().dropTable(TableIdentifier.parse(table), true)) {
        throw new AssertionError(table + " was not dropped");
      }
    }
  }

  /** Rows {@code from..to}: region cycles through the given regions, amount = id % 100, note = "n" + id. */
  public static List<Record> rows(Table t, long from, long to, String... regions) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      rows.add(row(t, id, regions[(int) (id % regions.length)], (int) (id % 100), "n" + id));
    }
    return rows;
  }

  public static Record row(Table t, long id, String region, int amount, String note) {
    Record r = GenericRecord.create(t.schema());
    r.setField("id", id);
    r.setField("region", region);
    r.setField("amount", amount);
    setIfPresent(r, "note", note);
    setIfPresent(r, "comment", note); // after a rename of note
    return r;
  }

  public static void setIfPresent(Record r, String column, Object value) {
    if (r.struct().field(column) != null) {
      r.setField(column, value);
    }
  }

  /** One Parquet data file per partition of the rows, in the table's current spec; not committed. */
  public static List<DataFile> writeData(Table t, List<Record> rows) {
    List<DataFile> files = new ArrayList<>();
    byPartition(t, rows).forEach((key, group) -> {
      OutputFile out = t.io().newOutputFile(location(t, t.spec(), key, "data-" + UUID.randomUUID() + ".parquet"));
      try {
        DataWriter<Record> writer = Parquet.writeData(out).schema(t.schema()).withSpec(t.spec()).withPartition(key)
            .createWriterFunc(GenericParquetWriter::create).overwrite().build();
        try (writer) {
          group.forEach(writer::write);
        }
        files.add(writer.toDataFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return files;
  }

  public static void append(Table t, List<Record> rows) {
    AppendFiles append = t.newAppend();
    writeData(t, rows).forEach(append::appendFile);
    append.commit();
  }

  /** Replaces the given data files by new ones with the given rows, in one commit. */
  public static void overwrite(Table t, Collection<DataFile> remove, List<Record> add) {
    OverwriteFiles overwrite = t.newOverwrite();
    remove.forEach(overwrite::deleteFile);
    writeData(t, add).forEach(overwrite::addFile);
    overwrite.commit();
  }

  /**
   * A merge by id, as an engine's MERGE INTO writes it in merge-on-read mode: an equality delete file of the
   * rows' ids (per partition) and the new rows, in one row-delta commit (a row keeps its partition).
   */
  public static void upsert(Table t, List<Record> rows) {
    Schema keySchema = t.schema().select("id");
    int idField = t.schema().findField("id").fieldId();
    RowDelta delta = t.newRowDelta();
    byPartition(t, rows).forEach((key, group) -> {
      OutputFile out = t.io().newOutputFile(location(t, t.spec(), key, "eq-delete-" + UUID.randomUUID() + ".parquet"));
      try {
        EqualityDeleteWriter<Record> writer = Parquet.writeDeletes(out).forTable(t).withSpec(t.spec())
            .withPartition(t.spec().isUnpartitioned() ? null : key).rowSchema(keySchema).equalityFieldIds(idField)
            .createWriterFunc(GenericParquetWriter::create).overwrite().buildEqualityWriter();
        try (writer) {
          for (Record r : group) {
            Record k = GenericRecord.create(keySchema);
            k.setField("id", r.getField("id"));
            writer.write(k);
          }
        }
        delta.addDeletes(writer.toDeleteFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writeData(t, rows).forEach(delta::addRows);
    delta.commit();
  }

  /** Deletes rows of one data file by position (a position delete file pointing at its path); returns their ids. */
  public static List<Long> deletePositions(Table t, DataFile file, long... positions) {
    List<Record> fileRows = readFile(t, file);
    List<Long> ids = new ArrayList<>();
    PartitionSpec spec = t.specs().get(file.specId());
    OutputFile out = t.io().newOutputFile(location(t, spec, file.partition(), "pos-delete-" + UUID.randomUUID() + ".parquet"));
    try {
      // no forTable(t): it would set the table schema as a row schema, and these deletes carry no rows
      PositionDeleteWriter<Record> writer = Parquet.writeDeletes(out).withSpec(spec)
          .withPartition(spec.isUnpartitioned() ? null : file.partition()).overwrite().buildPositionWriter();
      try (writer) {
        for (long pos : positions) {
          PositionDelete<Record> delete = PositionDelete.create();
          writer.write(delete.set(file.location(), pos));
          ids.add((Long) fileRows.get((int) pos).getField("id"));
        }
      }
      t.newRowDelta().addDeletes(writer.toDeleteFile()).validateDataFilesExist(List.of(file.location())).commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  /** The rows of one data file in file order (positions), without deletes applied. */
  public static List<Record> readFile(Table t, DataFile file) {
    Schema projection = t.schema();
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = Parquet.read(t.io().newInputFile(file.location())).project(projection)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema)).build()) {
      records.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** The data file paths a position delete file points at. */
  public static List<String> positionDeleteTargets(Table t, DeleteFile file) {
    Schema schema = new Schema(MetadataColumns.DELETE_FILE_PATH, MetadataColumns.DELETE_FILE_POS);
    List<String> paths = new ArrayList<>();
    try (CloseableIterable<Record> records = Parquet.read(t.io().newInputFile(file.location())).project(schema)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build()) {
      records.forEach(r -> paths.add(r.get(0).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /** Every row of the current snapshot, deletes applied, as sorted strings: a multiset to compare. */
  public static List<String> rowStrings(Table t) {
    List<String> rows = new ArrayList<>();
    int columns = t.schema().columns().size();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      // "Record(1, eu, 1, n1)"; only the table's columns: rows of files with position deletes carry _pos too
      records.forEach(r -> {
        StringBuilder row = new StringBuilder("Record(");
        for (int i = 0; i < columns; i++) {
          row.append(i == 0 ? "" : ", ").append(r.get(i));
        }
        rows.add(row.append(')').toString());
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }

  public static List<String> rowStrings(Path home, String table) {
    return read(home, table, MirrorTables::rowStrings);
  }

  /** The live data files of the current snapshot (read from its manifests). */
  public static List<DataFile> dataFiles(Table t) {
    List<DataFile> files = new ArrayList<>();
    if (t.currentSnapshot() == null) {
      return files;
    }
    for (ManifestFile m : t.currentSnapshot().dataManifests(t.io())) {
      try (ManifestReader<DataFile> reader = ManifestFiles.read(m, t.io(), t.specs())) {
        reader.forEach(f -> files.add(f.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** The live delete files (equality and position) of the current snapshot. */
  public static List<DeleteFile> deleteFiles(Table t) {
    List<DeleteFile> files = new ArrayList<>();
    if (t.currentSnapshot() == null) {
      return files;
    }
    for (ManifestFile m : t.currentSnapshot().deleteManifests(t.io())) {
      try (ManifestReader<DeleteFile> reader = ManifestFiles.readDeleteManifest(m, t.io(), t.specs())) {
        reader.forEach(f -> files.add(f.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** Every live data and delete file with its modification time on its file system. */
  public static Map<String, Long> filesWithTimes(Table t) {
    Map<String, Long> times = new TreeMap<>();
    List<ContentFile<?>> all = new ArrayList<>(dataFiles(t));
    all.addAll(deleteFiles(t));
    for (ContentFile<?> f : all) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.location());
      try {
        times.put(f.location(), p.getFileSystem(Cluster.defaultConfiguration()).getFileStatus(p).getModificationTime());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return times;
  }

  public static String partitionValue(ContentFile<?> file) {
    return file.partition().size() == 0 ? null : String.valueOf(file.partition().get(0, Object.class));
  }

  private static Map<PartitionKey, List<Record>> byPartition(Table t, List<Record> rows) {
    Map<PartitionKey, List<Record>> groups = new LinkedHashMap<>();
    PartitionKey key = new PartitionKey(t.spec(), t.schema());
    for (Record r : rows) {
      key.partition(r);
      groups.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(r);
    }
    return groups;
  }

  private static String location(Table t, PartitionSpec spec, StructLike partition, String name) {
    return spec.isUnpartitioned() ? t.locationProvider().newDataLocation(name)
        : t.locationProvider().newDataLocation(spec, partition, name);
  }
}
