package dev.fanout.verify;

import dev.fanout.util.RowHash;
import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * Checksums of a lake table's current snapshot as any reader sees it (delete files applied): every
 * data file is read on its own, in parallel, and its rows' hashes are summed per partition.
 */
final class LakeChecksums {
  private LakeChecksums() {}

  /** @return checksums by partition path ("" for all rows when {@code byPartition} is false) */
  static Map<String, Checksum> of(Table table, List<String> columns, boolean byPartition, ExecutorService pool) {
    Map<String, Checksum> out = new TreeMap<>();
    if (table.currentSnapshot() == null) {
      return out;
    }
    Schema projected = project(table, columns);
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned = table.newScan().project(projected).planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Future<Checksum>> sums = new ArrayList<>();
    for (FileScanTask task : tasks) {
      sums.add(pool.submit(() -> ofFile(table, task, projected, columns)));
    }
    for (int i = 0; i < tasks.size(); i++) {
      FileScanTask task = tasks.get(i);
      String key = byPartition ? table.specs().get(task.file().specId()).partitionToPath(task.file().partition()) : "";
      out.merge(key, await(sums.get(i), table), Checksum::plus);
    }
    return out;
  }

  private static Schema project(Table table, List<String> columns) {
    try {
      return table.schema().select(columns);
    } catch (RuntimeException e) {
      throw new FanoutException("Table " + table.name() + " lacks some of the columns " + columns + ": " + e.getMessage());
    }
  }

  private static Checksum ofFile(Table table, FileScanTask task, Schema projected, List<String> columns)
      throws IOException {
    GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, table.schema(), projected);
    Schema read = deletes.requiredSchema();
    int[] positions = new int[columns.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = read.columns().indexOf(read.findField(columns.get(i)));
    }
    Checksum sum = Checksum.EMPTY;
    Object[] values = new Object[positions.length];
    try (CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(task.file().location()))
        .project(read)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
        .split(task.start(), task.length())
        .filter(task.residual())
        .build();
        CloseableIterable<Record> live = deletes.filter(rows)) {
      for (Record r : live) {
        for (int i = 0; i < positions.length; i++) {
          values[i] = r.get(positions[i]);
        }
        sum = sum.plusRow(RowHash.of(values));
      }
    }
    return sum;
  }

  static <T> T await(Future<T> f, Object what) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FanoutException("Verification of " + what + " was interrupted.");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FanoutException fe) {
        throw fe;
      }
      throw new FanoutException("Reading " + what + " failed: " + cause.getMessage(), cause);
    }
  }
}
