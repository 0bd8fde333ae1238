package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.load.SchemaPlan;
import dev.fanout.metadata.TableName;
import dev.fanout.security.Credentials;
import dev.fanout.source.LakeTypes;
import dev.fanout.source.SourceColumn;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SourceTable;
import dev.fanout.source.SplitPlanner;
import dev.fanout.source.SplitReader;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import dev.fanout.source.ValueReader;
import dev.fanout.source.ValueReaders;
import dev.fanout.stage.LocalStageWriter;
import dev.fanout.stage.StagedFile;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Type;

/**
 * Splits Fanout's stage into its layers, on the benchmark table, each in its own JVM run, with the same
 * split sessions as the import. Usage: JDBC_URL USER SCHEMA.TABLE SPLIT_COLUMN SESSIONS MODE [REPEAT], MODE one of
 * <ul>
 *   <li>{@code next}: plain JDBC, {@code rs.next()} only (the protocol and the driver's row framing, no value decoded);</li>
 *   <li>{@code jdbc}: plain JDBC with the typed getters Spark's JDBC reader uses (getLong, getInt,
 *       getBigDecimal, getDouble, getString, getTimestamp, getDate);</li>
 *   <li>{@code readers}: Fanout's {@link SplitReader} with its {@link ValueReaders} into a record, rows dropped;</li>
 *   <li>{@code stage}: Fanout's {@link LocalStageWriter}, the import's stage step (read + Parquet + CRC);</li>
 *   <li>{@code parquet}: no database: the same schema's records, made in memory with the table's values,
 *       written by the stage's Parquet writer set-up (Iceberg generic writer, snappy), one file per thread.</li>
 * </ul>
 * Prints one line per repetition: mode, rows, seconds, rows/s, CPU seconds of this process and GC time.
 * With {@code -Dbreakdown.utf8=true} string columns reach Iceberg's Parquet writer as Avro {@link Utf8} made from
 * the driver's bytes ({@code getBytes}) instead of {@link String}: the writer's byte-array fast path, an experiment
 * on what Fanout's string handling costs (not what Fanout does). With {@code -Dbreakdown.datetime=object} DATETIME
 * columns are read with {@code getObject(i, LocalDateTime.class)} instead of Fanout's UTC-calendar
 * {@code getTimestamp}: what that reader costs (the driver applies this JVM's zone there, which is why Fanout
 * does not; exact only in a zone without DST gaps, such as UTC). In {@code parquet} mode, system properties
 * {@code breakdown.set.KEY=VALUE} are passed to the writer as {@code set(KEY, VALUE)} (Iceberg/Parquet write
 * properties, e.g. {@code parquet.enable.dictionary}), to try writer settings.
 */
public final class StageBreakdown {
  private static final boolean UTF8 = Boolean.getBoolean("breakdown.utf8");
  private static final boolean DATETIME_OBJECT = "object".equals(System.getProperty("breakdown.datetime"));

  /** Bytes of Parquet the last stage or parquet run wrote. */
  private static final AtomicLong WRITTEN = new AtomicLong();

  private StageBreakdown() {}

  private static Object utf8(ResultSet rs, int i) throws SQLException {
    byte[] b = rs.getBytes(i);
    return b == null ? null : new Utf8(b);
  }

  private static CharSequence text(String s) {
    return UTF8 ? new Utf8(s) : s;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String[] qualified = args[2].split("\\.", 2);
    String splitColumn = args[3];
    int sessions = Integer.parseInt(args[4]);
    String mode = args[5];
    int repeat = args.length > 6 ? Integer.parseInt(args[6]) : 1;

    SourceSessions source = new SourceSessions("bench", url, new Credentials(user, ""));
    SourceTable table = new SourceInspector(source).describe(qualified[0], qualified[1]);
    LinkedHashMap<String, Type> lakeColumns = new LinkedHashMap<>();
    List<ValueReader> readers = new ArrayList<>();
    for (SourceColumn c : table.columns()) {
      Type type = LakeTypes.map(source.dialect(), table.qualifiedName(), c, dev.fanout.metadata.TimeAs.STRING);
      lakeColumns.put(c.name(), type);
      if (UTF8 && type.typeId() == Type.TypeID.STRING) {
        readers.add(StageBreakdown::utf8);
      } else if (DATETIME_OBJECT && "DATETIME".equalsIgnoreCase(c.typeName())) {
        readers.add((rs, i) -> {
          LocalDateTime v = rs.getObject(i, LocalDateTime.class);
          return v == null ? null : v.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        });
      } else {
        readers.add(ValueReaders.forColumn(c.name(), c.jdbcType(), c.typeName(), type));
      }
    }
    Schema schema = SchemaPlan.of(TableName.parse("bench.breakdown"), null, lakeColumns).stagedSchema();
    String from = source.dialect().qualified(table.schema(), table.table());
    TableRead read = new TableRead(table.qualifiedName(), from, new ArrayList<>(lakeColumns.keySet()), readers,
        SqlFragment.TRUE);
    List<SqlFragment> splits;
    try (Connection c = source.open()) {
      splits = new SplitPlanner(source.dialect()).plan(c, table.qualifiedName(), from, SqlFragment.TRUE, splitColumn,
          lakeColumns.get(splitColumn), sessions);
    }

    for (int r = 0; r < repeat; r++) {
      long cpu0 = processCpuNanos();
      long gc0 = gcMillis();
      long t0 = System.nanoTime();
      long rows = switch (mode) {
        case "next", "jdbc" -> plainJdbc(source, read, splits, mode.equals("next"));
        case "readers" -> fanoutReaders(source, read, splits, schema);
        case "stage" -> fanoutStage(source, read, splits, schema);
        case "parquet" -> parquetOnly(schema, countRows(source, read), sessions);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      };
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("breakdown mode=%s%s rows=%d seconds=%.2f rows_per_s=%.0f cpu_s=%.2f gc_ms=%d parquet_mb=%.1f%n", mode,
          (UTF8 ? "+utf8" : "") + (DATETIME_OBJECT ? "+datetime-object" : ""), rows, s,
          rows / s, (processCpuNanos() - cpu0) / 1e9, gcMillis() - gc0, WRITTEN.getAndSet(0) / 1e6);
    }
  }

  private static long plainJdbc(SourceSessions source, TableRead read, List<SqlFragment> splits, boolean nextOnly)
      throws Exception {
    AtomicLong sink = new AtomicLong();
    return parallel(splits, split -> {
      long rows = 0;
      long hash = 0;
      try (Connection c = source.open();
          PreparedStatement ps = c.prepareStatement(read.select(source.dialect(), split), ResultSet.TYPE_FORWARD_ONLY,
              ResultSet.CONCUR_READ_ONLY)) {
        source.dialect().prepareStreaming(c, ps, SplitReader.FETCH_SIZE);
        split.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          int n = md.getColumnCount();
          int[] types = new int[n + 1];
          for (int i = 1; i <= n; i++) {
            types[i] = md.getColumnType(i);
          }
          while (rs.next()) {
            for (int i = 1; i <= (nextOnly ? 0 : n); i++) {
              Object v = typed(rs, i, types[i]);
              hash += v == null ? 0 : 1;
            }
            rows++;
          }
        }
      }
      sink.addAndGet(hash);
      return rows;
    });
  }

  /** The getters Spark's JdbcUtils uses for these JDBC types. */
  private static Object typed(ResultSet rs, int i, int type) throws SQLException {
    switch (type) {
      case Types.BIGINT:
        return rs.getLong(i);
      case Types.INTEGER:
        return rs.getInt(i);
      case Types.DECIMAL:
      case Types.NUMERIC:
        BigDecimal d = rs.getBigDecimal(i);
        return d;
      case Types.DOUBLE:
        return rs.getDouble(i);
      case Types.TIMESTAMP:
        return rs.getTimestamp(i);
      case Types.DATE:
        return rs.getDate(i);
      case Types.VARCHAR:
      case Types.CHAR:
        return rs.getString(i);
      default:
        return rs.getObject(i);
    }
  }

  private static long fanoutReaders(SourceSessions source, TableRead read, List<SqlFragment> splits, Schema schema)
      throws Exception {
    AtomicLong sink = new AtomicLong();
    return parallel(splits, split -> new SplitReader(source).read(read, split, schema,
        row -> sink.incrementAndGet(), delta -> { }));
  }

  private static long fanoutStage(SourceSessions source, TableRead read, List<SqlFragment> splits, Schema schema)
      throws IOException {
    java.nio.file.Path dir = Files.createTempDirectory("fanout-breakdown-");
    try {
      Cluster cluster = new Cluster("bench", URI.create("file:///"), dir.toString(), Cluster.defaultConfiguration());
      List<StagedFile> files = new LocalStageWriter(cluster, source)
          .write(read, splits, schema, new Path(dir.toUri().toString(), "stage"), delta -> { });
      WRITTEN.set(files.stream().mapToLong(StagedFile::sizeBytes).sum());
      return files.stream().mapToLong(StagedFile::rowCount).sum();
    } finally {
      deleteTree(dir);
    }
  }

  private static long countRows(SourceSessions source, TableRead read) {
    return new SplitReader(source).count(read);
  }

  /** The benchmark table's values (bench/stage-benchmark.sh's INSERT ... SELECT), written as the stage writes. */
  private static long parquetOnly(Schema schema, long rows, int threads) throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("fanout-breakdown-parquet-");
    try {
      List<SqlFragment> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        parts.add(SqlFragment.of("part", rows * t / threads + 1, rows * (t + 1) / threads));
      }
      LocalDateTime base = LocalDateTime.of(2024, 1, 1, 0, 0);
      LocalDate day0 = LocalDate.of(2020, 1, 1);
      return parallel(parts, part -> {
        long from = (Long) part.params().get(0);
        long to = (Long) part.params().get(1);
        org.apache.iceberg.io.OutputFile out = org.apache.iceberg.Files.localOutput(
            dir.resolve("part-" + from + ".parquet").toFile());
        GenericRecord record = GenericRecord.create(schema);
        Parquet.WriteBuilder builder = Parquet.write(out).schema(schema)
            .createWriterFunc(GenericParquetWriter::create).set("write.parquet.compression-codec", "snappy")
            .overwrite();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("breakdown.set."))
            .forEach(k -> builder.set(k.substring("breakdown.set.".length()), System.getProperty(k)));
        try (FileAppender<Record> appender = builder.build()) {
          for (long seq = from; seq <= to; seq++) {
            record.set(0, seq);
            record.set(1, (int) (seq % 1000));
            record.set(2, (int) (seq % 77));
            record.set(3, seq * 31);
            record.set(4, BigDecimal.valueOf(seq % 100000, 2));
            record.set(5, seq / 7.0);
            record.set(6, text("name-" + (seq % 5000)));
            record.set(7, text("a somewhat longer text value number " + seq));
            record.set(8, base.plusSeconds(seq));
            record.set(9, day0.plusDays(seq % 2000));
            appender.add(record);
          }
        }
        WRITTEN.addAndGet(Files.size(dir.resolve("part-" + from + ".parquet")));
        return to - from + 1;
      });
    } finally {
      deleteTree(dir);
    }
  }

  private interface SplitTask {
    long run(SqlFragment split) throws Exception;
  }

  private static long parallel(List<SqlFragment> splits, SplitTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(splits.size());
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (SqlFragment s : splits) {
        futures.add(pool.submit(() -> task.run(s)));
      }
      long rows = 0;
      for (Future<Long> f : futures) {
        rows += f.get();
      }
      return rows;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  private static void deleteTree(java.nio.file.Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
