package dev.fanout.bench;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.TableName;
import dev.fanout.mirror.TablePointers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;

/**
 * What the lake catalog itself costs, through the catalog an instance was initialised with (its home is the
 * argument): the latency of one commit (an append of one data file: manifest, manifest list and metadata
 * file written, then the catalog's pointer swapped), of one table load (a metadata read), and of one sync-rule
 * poll over a number of tables ({@link TablePointers}, what the server's watcher runs). Medians in ms.
 * Usage: CatalogCost LABEL HOME COMMITS TABLES
 */
public final class CatalogCost {
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()), Types.NestedField.optional(2, "v", Types.StringType.get()));

  private CatalogCost() {}

  public static void main(String[] args) {
    String label = args[0];
    Path home = Path.of(args[1]);
    int commits = Integer.parseInt(args[2]);
    int tables = Integer.parseInt(args[3]);
    try (Instance instance = Instance.open(new FanoutHome(home))) {
      LakeCatalog lake = instance.catalog();
      lake.ensureNamespace("bench");
      Catalog catalog = lake.catalog();
      Table table = catalog.createTable(LakeCatalog.identifier(new TableName("bench", "commits")), SCHEMA,
          PartitionSpec.unpartitioned());
      List<Double> commit = new ArrayList<>();
      for (int i = 0; i < commits; i++) {
        DataFile file = DataFiles.builder(PartitionSpec.unpartitioned())
            .withPath(table.location() + "/data/bench-" + i + ".parquet").withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(4096).withRecordCount(100).build();
        long t0 = System.nanoTime();
        table.newAppend().appendFile(file).commit();
        commit.add((System.nanoTime() - t0) / 1e6);
      }
      List<Double> load = new ArrayList<>();
      for (int i = 0; i < commits; i++) {
        long t0 = System.nanoTime();
        catalog.loadTable(LakeCatalog.identifier(new TableName("bench", "commits")));
        load.add((System.nanoTime() - t0) / 1e6);
      }
      for (int i = 0; i < tables - 1; i++) {
        catalog.createTable(LakeCatalog.identifier(new TableName("bench", "p" + i)), SCHEMA, PartitionSpec.unpartitioned());
      }
      TablePointers pointers = new TablePointers(instance.transactions(), lake);
      List<Double> poll = new ArrayList<>();
      int seen = 0;
      for (int i = 0; i < 7; i++) {
        long t0 = System.nanoTime();
        seen = pointers.read().size();
        poll.add((System.nanoTime() - t0) / 1e6);
      }
      System.out.printf("%-14s commit %7.1f ms  load %6.1f ms  poll of %d tables %7.1f ms (%.2f ms per table)%n",
          label, median(commit), median(load), seen, median(poll), median(poll) / seen);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
