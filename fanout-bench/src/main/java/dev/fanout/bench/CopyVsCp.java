package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.copy.StagingCopy;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;

/**
 * The copier against {@code cp -r} for 1 GB in 4 files between two local directories, each side five
 * times, alternating, with the source in the page cache. Two measures: the copy alone (it ends in the
 * page cache) and the copy followed by {@code sync} (it ends on disk). Prints the best and the median,
 * and every round in order (the first of each side warms caches, and the copier's JIT).
 * Usage: WORK_DIR [THREADS]
 */
public final class CopyVsCp {
  private static final int ROUNDS = 5;

  private CopyVsCp() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(2, Runtime.getRuntime().availableProcessors());
    long bytesEach = 256L << 20;
    Configuration conf = Cluster.defaultConfiguration();
    Cluster source = new Cluster("src", URI.create("file:///"), work.resolve("src").toString(), conf);
    org.apache.hadoop.fs.Path dir = BenchStaging.write(source, "imp-1", 4, bytesEach);
    String localDir = dir.toUri().getPath();
    run("sync");
    double megabytes = 4.0 * bytesEach / (1 << 20);
    for (boolean sync : new boolean[] {false, true}) {
      double[] cp = new double[ROUNDS];
      double[] fanout = new double[ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        Path cpTarget = work.resolve("cp-" + round);
        long t0 = System.nanoTime();
        run("cp", "-r", localDir, cpTarget.toString());
        if (sync) {
          run("sync");
        }
        cp[round] = (System.nanoTime() - t0) / 1e9;

        Cluster target = new Cluster("dst", URI.create("file:///"), work.resolve("fanout-" + round).toString(), conf);
        long t1 = System.nanoTime();
        new StagingCopy(ParallelCopier.builder().threads(threads).build())
            .copy(source, dir, target, BenchStaging.TABLE, "imp-1");
        if (sync) {
          run("sync");
        }
        fanout[round] = (System.nanoTime() - t1) / 1e9;
        run("rm", "-rf", cpTarget.toString(), work.resolve("fanout-" + round).toString());
        run("sync");
      }
      String rounds = "  rounds in order (s): cp" + seconds(cp) + ", fanout" + seconds(fanout);
      Arrays.sort(cp);
      Arrays.sort(fanout);
      System.out.printf("copy 1 GB in 4 files, local to local%s, best | median of %d: cp -r %.2f s (%.0f MB/s) | %.2f s,"
          + " fanout %d streams %.2f s (%.0f MB/s) | %.2f s, fanout/cp speed ratio %.2f | %.2f%n",
          sync ? " + sync" : "", ROUNDS, cp[0], megabytes / cp[0], cp[ROUNDS / 2], threads, fanout[0],
          megabytes / fanout[0], fanout[ROUNDS / 2], cp[0] / fanout[0], cp[ROUNDS / 2] / fanout[ROUNDS / 2]);
      System.out.println(rounds);
    }
    run("rm", "-rf", work.resolve("src").toString());
  }

  private static String seconds(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(String.format(" %.2f", v));
    }
    return s.toString();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
