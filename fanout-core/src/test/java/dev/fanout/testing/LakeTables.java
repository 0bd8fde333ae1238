package dev.fanout.testing;

import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import dev.fanout.metadata.TableName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads a lake table back through Iceberg, as any engine would, for assertions. */
public final class LakeTables {
  private LakeTables() {}

  /** Every row, each as the list of its values in schema order, sorted by the first column. */
  public static List<List<Object>> rows(Path home, String table) {
    try (Instance instance = Instance.open(new FanoutHome(home))) {
      return rows(instance.catalog().require(TableName.parse(table)));
    }
  }

  /** Every row of a table however it was opened (an engine's own catalog client), in the same order. */
  public static List<List<Object>> rows(Table t) {
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      for (Record r : records) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          row.add(r.get(i));
        }
        rows.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(Comparator.comparing(r -> String.valueOf(r.get(0)), LakeTables::compareNumbersFirst));
    return rows;
  }

  /** Waits (30 s at most) until the instance's catalog has the table with this many rows, as a server copies it. */
  public static void awaitRows(FanoutCli instance, String table, int rows) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Instance i = Instance.open(new FanoutHome(instance.home()))) {
        if (i.catalog().find(TableName.parse(table)).isPresent() && rows(instance.home(), table).size() == rows) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + table + " with " + rows + " rows");
      }
      Thread.sleep(100);
    }
  }

  public static Table table(Instance instance, String table) {
    return instance.catalog().require(TableName.parse(table));
  }

  private static int compareNumbersFirst(String a, String b) {
    try {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  /** A data file of rows 1..{@code rows} of (id long, name string), "row N", for a table with that schema. */
  public static org.apache.iceberg.DataFile writeNamedRows(Table table, int rows) throws IOException {
    String path = table.locationProvider().newDataLocation("rows-0.parquet");
    org.apache.iceberg.io.DataWriter<Record> out = org.apache.iceberg.parquet.Parquet.writeData(table.io().newOutputFile(path))
        .schema(table.schema())
        .withSpec(table.spec())
        .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
        .overwrite()
        .build();
    try (out) {
      for (long i = 1; i <= rows; i++) {
        org.apache.iceberg.data.GenericRecord r = org.apache.iceberg.data.GenericRecord.create(table.schema());
        r.setField("id", i);
        r.setField("name", "row " + i);
        out.write(r);
      }
    }
    return out.toDataFile();
  }

  /** Appends rows {@code from..to} of (id long, page string) to a table with that schema, as another engine would. */
  public static void appendPageVisits(Table table, long from, long to) throws IOException {
    table.refresh();
    org.apache.iceberg.data.GenericRecord record = org.apache.iceberg.data.GenericRecord.create(table.schema());
    org.apache.iceberg.io.DataWriter<Record> writer = org.apache.iceberg.parquet.Parquet.writeData(table.io()
            .newOutputFile(table.locationProvider().newDataLocation("visits-" + from + ".parquet")))
        .schema(table.schema()).withSpec(table.spec())
        .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create).build();
    try (writer) {
      for (long id = from; id <= to; id++) {
        writer.write(record.copy(java.util.Map.of("id", id, "page", "/p/" + id % 7)));
      }
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }
}
