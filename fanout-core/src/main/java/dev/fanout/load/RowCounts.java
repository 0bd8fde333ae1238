package dev.fanout.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Rows in a lake table as a reader sees them. Without delete files the snapshot summary has the answer;
 * with them (merged tables) the rows are counted by a scan of one column, with the deletes applied.
 */
public final class RowCounts {
  private RowCounts() {}

  public static long count(Table table) {
    if (table.currentSnapshot() == null) {
      return 0;
    }
    Map<String, String> s = table.currentSnapshot().summary();
    long eqDeletes = Long.parseLong(s.getOrDefault("total-equality-deletes", "0"));
    long posDeletes = Long.parseLong(s.getOrDefault("total-position-deletes", "0"));
    if (eqDeletes == 0 && posDeletes == 0 && s.containsKey("total-records")) {
      return Long.parseLong(s.get("total-records"));
    }
    Schema first = table.schema().select(table.schema().columns().get(0).name());
    long n = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select(first.columns().get(0).name()).build()) {
      for (Record ignored : rows) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }
}
