package dev.fanout.copy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A temporary directory for one job of Hadoop's local job runner: its staging and work directories, which
 * would otherwise pile up under {@code /tmp/hadoop*}, one set per job. Closing removes it with all the
 * runner left there.
 */
final class LocalJobDirectory implements AutoCloseable {
  private static final int REMOVE_ATTEMPTS = 20;
  private static final long REMOVE_PAUSE_MILLIS = 50;
  private final java.nio.file.Path dir;

  private LocalJobDirectory(java.nio.file.Path dir) {
    this.dir = dir;
  }

  static LocalJobDirectory create() throws IOException {
    return new LocalJobDirectory(Files.createTempDirectory("fanout-distcp-"));
  }

  /** Points the job's staging and local directories here. */
  void configure(Configuration jobConf) {
    jobConf.set("mapreduce.jobtracker.staging.root.dir", new Path(dir.resolve("staging").toUri()).toString());
    jobConf.set("mapreduce.cluster.local.dir", dir.resolve("local").toString());
  }

  /**
   * Removes the directory. The runner's job thread may still be tidying up in it for a moment after the
   * job reports completion, so a removal that finds new entries is tried again, a few times.
   */
  @Override
  public void close() {
    boolean interrupted = false;
    for (int i = 0; i < REMOVE_ATTEMPTS && Files.exists(dir); i++) {
      removeTree();
      if (Files.exists(dir)) {
        try {
          Thread.sleep(REMOVE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void removeTree() {
    try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // entries vanishing while walked: the next attempt sees what is left
    }
  }
}
