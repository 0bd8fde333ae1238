package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.copy.StagingCopy;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * The copier against {@code cp -r} for 1 GB in 4 files between two local directories. Each side runs five
 * times, alternating, with the source in the page cache; the best run of each counts.
 * Usage: WORK_DIR [THREADS]
 */
public final class CopyVsCp {
  private CopyVsCp() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : Math.max(2, Runtime.getRuntime().availableProcessors());
    long bytesEach = 256L << 20;
    Configuration conf = Cluster.defaultConfiguration();
    Cluster source = new Cluster("src", URI.create("file:///"), work.resolve("src").toString(), conf);
    org.apache.hadoop.fs.Path dir = BenchStaging.write(source, "imp-1", 4, bytesEach);
    String localDir = dir.toUri().getPath();
    run("cat", localDir + "/part-00000-00000.parquet", localDir + "/part-00001-00000.parquet",
        localDir + "/part-00002-00000.parquet", localDir + "/part-00003-00000.parquet");
    double total = 4.0 * bytesEach / (1 << 20);
    double cpBest = Double.MAX_VALUE;
    double fanoutBest = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      Path cpTarget = work.resolve("cp-" + round);
      long t0 = System.nanoTime();
      run("cp", "-r", localDir, cpTarget.toString());
      cpBest = Math.min(cpBest, (System.nanoTime() - t0) / 1e9);

      Cluster target = new Cluster("dst", URI.create("file:///"), work.resolve("fanout-" + round).toString(), conf);
      long t1 = System.nanoTime();
      new StagingCopy(ParallelCopier.builder().threads(threads).build()).copy(source, dir, target, BenchStaging.TABLE, "imp-1");
      fanoutBest = Math.min(fanoutBest, (System.nanoTime() - t1) / 1e9);
      run("rm", "-rf", cpTarget.toString(), work.resolve("fanout-" + round).toString());
    }
    System.out.printf("copy 1 GB in 4 files, local to local: cp -r %.2f s (%.0f MB/s), fanout %.2f s (%.0f MB/s),"
        + " ratio fanout/cp %.2f%n", cpBest, total / cpBest, fanoutBest, total / fanoutBest, cpBest / fanoutBest);
    run("rm", "-rf", work.resolve("src").toString());
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

}
