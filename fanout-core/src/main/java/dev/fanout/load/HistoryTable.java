package dev.fanout.load;

import dev.fanout.cluster.Cluster;
import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TableName;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * {@code <table>_history}: every row version a merge inserted, updated or deleted, with the operation
 * ({@code datalake_iud}: I, U or D) and the import's time ({@code datalake_timestamp}). It is committed
 * before the main table with the same import id, so a rerun after a crash between the two commits finds
 * the history already there and never writes it twice.
 */
final class HistoryTable {
  static final String OPERATION = "datalake_iud";
  static final String TIMESTAMP = "datalake_timestamp";

  private final LakeCatalog catalog;
  private final Cluster cluster;
  private final TableName name;

  HistoryTable(LakeCatalog catalog, Cluster cluster, TableName main) {
    this.catalog = catalog;
    this.cluster = cluster;
    this.name = of(main);
  }

  static TableName of(TableName main) {
    return new TableName(main.db(), main.table() + "_history");
  }

  boolean committed(String importId) {
    return catalog.find(name).flatMap(t -> Rows.commitOf(t, importId)).isPresent();
  }

  /**
   * Opens the history file of one import, creating the table or adding the staged columns it lacks first
   * (a column added at the source reaches the history too).
   */
  Writer open(Schema staged, String importId, Instant importTime) {
    Table table = tableFor(staged);
    Path file = new Path(new Path(table.location(), "data"), importId + "-history.parquet");
    return new Writer(table, Rows.dataWriter(cluster, table, table.schema(), file), staged,
        OffsetDateTime.ofInstant(importTime, ZoneOffset.UTC));
  }

  private Table tableFor(Schema staged) {
    List<Types.NestedField> fields = new ArrayList<>();
    int id = 1;
    for (Types.NestedField f : staged.columns()) {
      fields.add(Types.NestedField.optional(id++, f.name(), f.type()));
    }
    fields.add(Types.NestedField.required(id++, OPERATION, Types.StringType.get()));
    fields.add(Types.NestedField.required(id, TIMESTAMP, Types.TimestampType.withZone()));
    Schema wanted = new Schema(fields);
    catalog.ensureNamespace(name.db());
    Table table = catalog.find(name).orElse(null);
    if (table == null) {
      try {
        return catalog.catalog().buildTable(LakeCatalog.identifier(name), wanted)
            .withProperty(TableProperties.FORMAT_VERSION, "2")
            .withProperty(TableProperties.PARQUET_COMPRESSION, "snappy")
            .create();
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
        table = catalog.require(name);
      }
    }
    if (lacksColumns(table.schema(), staged)) {
      org.apache.iceberg.UpdateSchema update = table.updateSchema().unionByNameWith(wanted);
      for (Types.NestedField f : staged.columns()) {
        if (table.schema().findField(f.name()) == null) {
          update.moveBefore(f.name(), OPERATION); // the audit columns stay last
        }
      }
      update.commit();
      table.refresh();
    }
    return table;
  }

  private static boolean lacksColumns(Schema history, Schema staged) {
    for (Types.NestedField f : staged.columns()) {
      Types.NestedField h = history.findField(f.name());
      if (h == null || !h.type().equals(f.type())) {
        return true;
      }
    }
    return false;
  }

  /** Commits the import's history file as one append that names the import. */
  void commit(DataFile file, String importId) {
    Table table = catalog.require(name);
    var append = table.newAppend();
    if (file.recordCount() > 0) {
      append.appendFile(file);
    } else {
      delete(file); // an empty file no commit names would stay in the table for good
    }
    append.set(TableLoader.IMPORT_ID_PROPERTY, importId);
    try {
      append.commit();
    } catch (RuntimeException e) {
      throw new FanoutException("Committing the history of " + name + " failed, so neither it nor the table"
          + " changed: " + e.getMessage(), e);
    }
  }

  private void delete(DataFile file) {
    try {
      cluster.fs().delete(new Path(file.location()), false);
    } catch (IOException e) {
      throw new FanoutException("Cannot remove the empty history file " + file.location() + ": " + e.getMessage(), e);
    }
  }

  /** Writes row versions of one import to its history file. */
  static final class Writer implements AutoCloseable {
    private final Table table;
    private final DataWriter<Record> out;
    private final Schema staged;
    private final OffsetDateTime at;

    private Writer(Table table, DataWriter<Record> out, Schema staged, OffsetDateTime at) {
      this.table = table;
      this.out = out;
      this.staged = staged;
      this.at = at;
    }

    /** @param row a row with (some of) the staged columns, by name */
    void write(Record row, char operation) {
      Record version = GenericRecord.create(table.schema());
      for (Types.NestedField f : staged.columns()) {
        Types.NestedField target = table.schema().findField(f.name());
        version.setField(f.name(), Rows.widen(Rows.valueOf(row, f.name()), target.type()));
      }
      version.setField(OPERATION, String.valueOf(operation));
      version.setField(TIMESTAMP, at);
      out.write(version);
    }

    DataFile finish() {
      close();
      return out.toDataFile();
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new FanoutException("Cannot close the history file of " + table.name() + ": " + e.getMessage(), e);
      }
    }
  }
}
