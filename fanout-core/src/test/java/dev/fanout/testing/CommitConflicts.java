package dev.fanout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;

/**
 * Fanout imports into tables while another engine commits to the same tables through the same catalog: each
 * import either lands whole (Iceberg retries its commit on the newer table) or fails with one sentence and lands
 * whole on the next run; the table never holds part of an import, and nothing the other engine committed is
 * lost from an appended table. For any catalog; the instance has a connection {@code src} to {@code source},
 * whose table {@code orders (id BIGINT, customer VARCHAR, amount DECIMAL(10,2))} holds ids 1..300.
 */
public final class CommitConflicts {
  private static final String OTHER = "other writer";
  private static final String IMPORT_ID = "fanout.import-id";

  private CommitConflicts() {}

  public static void importWhileAnotherWriterCommits(FanoutCli fanout, TestDatabase source, Catalog engine)
      throws Exception {
    String from = source.schema() + ".orders";
    fanout.ok("table", "add", "--connection", "src", "--source", from, "--target", "busy.appended",
        "--import", "incr", "--incr-column", "id");
    fanout.ok("table", "add", "--connection", "src", "--source", from, "--target", "busy.full");
    fanout.ok("import", "--table", "busy.appended");
    fanout.ok("import", "--table", "busy.full");

    Writer writer = new Writer(List.of(engine.loadTable(TableIdentifier.of("busy", "appended")),
        engine.loadTable(TableIdentifier.of("busy", "full"))));
    Thread thread = new Thread(writer, "other-writer");
    List<long[]> importWindows = new ArrayList<>();
    thread.start();
    try {
      for (int round = 1; round <= 4; round++) {
        long first = 300 + (round - 1) * 25L + 1;
        source.execute("INSERT INTO orders SELECT seq, 'round " + round + "', 1 FROM seq_" + first + "_to_" + (first + 24));
        for (String table : List.of("busy.appended", "busy.full")) {
          long start = System.currentTimeMillis();
          Result r = fanout.run("import", "--table", table);
          importWindows.add(new long[] {start, System.currentTimeMillis()});
          if (r.code() != 0) {
            // a commit that lost out: one sentence, and the table unchanged (the next run loads it)
            assertThat(r.code()).as(r.err()).isEqualTo(1);
            assertThat(r.err().strip()).startsWith("fanout: ").doesNotContain("\n\tat ");
          }
        }
      }
    } finally {
      writer.stop.set(true);
      thread.join();
    }
    assertThat(writer.failure).as("the other writer's own commits").isEmpty();
    fanout.ok("import", "--table", "busy.appended");
    fanout.ok("import", "--table", "busy.full");

    Table appended = engine.loadTable(TableIdentifier.of("busy", "appended"));
    List<Long> fanoutIds = new ArrayList<>();
    List<Long> otherIds = new ArrayList<>();
    for (Record r : read(appended, null)) {
      (OTHER.equals(r.getField("customer")) ? otherIds : fanoutIds).add((Long) r.getField("id"));
    }
    Collections.sort(fanoutIds);
    Collections.sort(otherIds);
    assertThat(fanoutIds).as("every source row once").isEqualTo(LongStream.rangeClosed(1, 400).boxed().toList());
    assertThat(otherIds).as("every row the other writer committed, once").isEqualTo(writer.committedIds(0));
    for (Snapshot s : fanoutSnapshots(appended)) {
      assertThat(s.summary().get("added-records")).as("an import's rows, all of them").isIn("300", "25");
    }

    Table full = engine.loadTable(TableIdentifier.of("busy", "full"));
    List<Snapshot> fullImports = fanoutSnapshots(full);
    assertThat(fullImports).hasSizeGreaterThanOrEqualTo(5);
    for (Snapshot s : fullImports) {
      List<Record> rows = read(full, s.snapshotId());
      // a full import replaces the table: right after it, the source's rows and nothing else
      assertThat(rows).as("table at snapshot " + s.snapshotId()).hasSize(Integer.parseInt(s.summary().get("added-records")))
          .noneMatch(r -> OTHER.equals(r.getField("customer")));
    }
    assertThat(read(full, null)).hasSize(400);

    List<Snapshot> others = new ArrayList<>();
    appended.snapshots().forEach(s -> {
      if (!s.summary().containsKey(IMPORT_ID)) {
        others.add(s);
      }
    });
    assertThat(others).as("the other writer committed while Fanout imported")
        .anyMatch(s -> importWindows.stream().anyMatch(w -> s.timestampMillis() >= w[0] && s.timestampMillis() <= w[1]));
  }

  private static List<Snapshot> fanoutSnapshots(Table table) {
    List<Snapshot> out = new ArrayList<>();
    table.snapshots().forEach(s -> {
      if (s.summary().containsKey(IMPORT_ID) && s.summary().containsKey("added-records")) {
        out.add(s);
      }
    });
    return out;
  }

  private static List<Record> read(Table table, Long snapshotId) {
    table.refresh();
    var scan = IcebergGenerics.read(table);
    if (snapshotId != null) {
      scan = scan.useSnapshot(snapshotId);
    }
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = scan.build()) {
      rows.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Appends 5 rows at a time to each table in turn, with ids from 1,000,000 up, until stopped. */
  private static final class Writer implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final List<Throwable> failure = new CopyOnWriteArrayList<>();
    private final List<Table> tables;
    private final List<List<Long>> committed = new ArrayList<>();
    private long next = 1_000_000;

    Writer(List<Table> tables) {
      this.tables = tables;
      tables.forEach(t -> committed.add(new CopyOnWriteArrayList<>()));
    }

    List<Long> committedIds(int table) {
      List<Long> ids = new ArrayList<>(committed.get(table));
      Collections.sort(ids);
      return ids;
    }

    @Override
    public void run() {
      try {
        while (!stop.get()) {
          for (int i = 0; i < tables.size(); i++) {
            Table table = tables.get(i);
            table.refresh();
            List<Long> ids = LongStream.range(next, next + 5).boxed().toList();
            next += 5;
            table.newAppend().appendFile(write(table, ids)).commit();
            committed.get(i).addAll(ids);
          }
          Thread.sleep(20);
        }
      } catch (Throwable t) {
        failure.add(t);
      }
    }

    private static DataFile write(Table table, List<Long> ids) throws IOException {
      GenericRecord record = GenericRecord.create(table.schema());
      DataWriter<Record> out = Parquet.writeData(table.io().newOutputFile(
              table.locationProvider().newDataLocation("other-" + ids.get(0) + ".parquet")))
          .schema(table.schema()).withSpec(table.spec()).createWriterFunc(GenericParquetWriter::create).build();
      try (out) {
        for (long id : ids) {
          out.write(record.copy(Map.of("id", id, "customer", OTHER, "amount", new BigDecimal("1.00"))));
        }
      }
      return out.toDataFile();
    }
  }
}
