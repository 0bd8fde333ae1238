package dev.fanout.stage;

import dev.fanout.util.DaemonThreads;
import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SplitReader;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopOutputFile;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;

/**
 * The in-process stage engine: one thread and one JDBC session per split, each streaming into its own
 * Parquet files, rolled over at {@link #TARGET_FILE_BYTES}.
 */
public final class LocalStageWriter implements StageWriter {
  static final long TARGET_FILE_BYTES = 256L * 1024 * 1024;
  private static final int SIZE_CHECK_EVERY = 10_000;

  private final Cluster cluster;
  private final SourceSessions sessions;
  private final String prefix;

  public LocalStageWriter(Cluster cluster, SourceSessions sessions) {
    this(cluster, sessions, "part");
  }

  /** @param prefix the start of each file's name, so two reads can share one staging directory */
  public LocalStageWriter(Cluster cluster, SourceSessions sessions, String prefix) {
    this.cluster = cluster;
    this.sessions = sessions;
    this.prefix = prefix;
  }

  @Override
  public List<StagedFile> write(TableRead read, List<SqlFragment> splits, Schema schema, Path dir, LongConsumer progress) {
    try {
      cluster.fs().mkdirs(dir);
    } catch (IOException e) {
      throw new FanoutException("Cannot create staging directory " + dir + ": " + e.getMessage(), e);
    }
    ExecutorService pool = Executors.newFixedThreadPool(splits.size(), DaemonThreads.named("fanout-split"));
    try {
      List<Future<List<StagedFile>>> futures = new ArrayList<>();
      for (int i = 0; i < splits.size(); i++) {
        int split = i;
        futures.add(pool.submit(() -> writeSplit(read, splits.get(split), split, schema, dir, progress)));
      }
      List<StagedFile> files = new ArrayList<>();
      for (Future<List<StagedFile>> f : futures) {
        files.addAll(await(f));
      }
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<StagedFile> await(Future<List<StagedFile>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FanoutException("The import was interrupted while staging.", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new FanoutException("Staging failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private List<StagedFile> writeSplit(TableRead read, SqlFragment split, int splitNo, Schema schema, Path dir,
      LongConsumer progress) {
    RollingFiles files = new RollingFiles(schema, dir, splitNo);
    try (files) {
      new SplitReader(sessions).read(read, split, schema, files::append, progress);
    }
    return files.written;
  }

  /** The Parquet files of one split: a new one starts when the current one reaches the target size. */
  private final class RollingFiles implements AutoCloseable {
    private final Schema schema;
    private final Path dir;
    private final int splitNo;
    private final List<StagedFile> written = new ArrayList<>();
    private FileAppender<Record> appender;
    private ChecksummingOutputFile current;
    private String currentName;
    private long rowsInFile;

    RollingFiles(Schema schema, Path dir, int splitNo) {
      this.schema = schema;
      this.dir = dir;
      this.splitNo = splitNo;
    }

    void append(Record row) {
      if (appender == null) {
        open();
      }
      appender.add(row);
      rowsInFile++;
      if (rowsInFile % SIZE_CHECK_EVERY == 0 && appender.length() >= TARGET_FILE_BYTES) {
        finishFile();
      }
    }

    private void open() {
      currentName = String.format("%s-%05d-%05d.parquet", prefix, splitNo, written.size());
      current = new ChecksummingOutputFile(HadoopOutputFile.fromPath(new Path(dir, currentName), cluster.fs(), cluster.conf()));
      try {
        appender = Parquet.write(current)
            .schema(schema)
            .createWriterFunc(GenericParquetWriter::create)
            .set("write.parquet.compression-codec", "snappy")
            .overwrite()
            .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      rowsInFile = 0;
    }

    private void finishFile() {
      try {
        appender.close();
      } catch (IOException e) {
        throw new FanoutException("Cannot finish staged file " + currentName + ": " + e.getMessage(), e);
      }
      long size = appender.length();
      written.add(new StagedFile(currentName, size, rowsInFile, Crc32c.hex(current.checksum())));
      appender = null;
    }

    @Override
    public void close() {
      if (appender != null) {
        finishFile();
      }
    }
  }
}
