package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.copy.StagingCopy;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.tools.DistCp;
import org.apache.hadoop.util.ToolRunner;

/**
 * The copier against Hadoop DistCp in local mode for 1,000 small files between two in-process HDFS
 * clusters. Both first copy a 100-file directory untimed, so neither pays alone for warming up the
 * shared HDFS code; the copier then runs three times (first and best reported), DistCp once (a run
 * takes 20 s or more, of which warming up is a small part). DistCp's success is its exit code plus a count
 * of the files at the destination. Besides wall-clock time it prints the CPU time of the whole process
 * (both clusters live in it), and the time of bare HDFS file creation: the floor for any copier here.
 * Usage: WORK_DIR [FILES] [BYTES_EACH]; -Dthreads=N for the copier (default 16); -Ddistcp.maps=N to let
 * DistCp's local job runner run N maps at once (default: DistCp's and Hadoop's defaults, one at a time).
 */
public final class CopyVsDistCp {
  private CopyVsDistCp() {}

  private static final int FANOUT_ROUNDS = 3;

  private record Run(double seconds, double cpuSeconds) {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long bytesEach = args.length > 2 ? Long.parseLong(args[2]) : 1024;
    int threads = Integer.getInteger("threads", 16);
    MiniDFSCluster dfs1 = start(work.resolve("dfs1"));
    MiniDFSCluster dfs2 = start(work.resolve("dfs2"));
    try {
      Configuration conf = dfs1.getConfiguration(0);
      Cluster c1 = new Cluster("dfs1", dfs1.getURI(), "/bench", conf);
      Cluster c2 = new Cluster("dfs2", dfs2.getURI(), "/bench", conf);
      org.apache.hadoop.fs.Path warm = BenchStaging.write(c1, "warm-up", 100, bytesEach);
      org.apache.hadoop.fs.Path dir = BenchStaging.write(c1, "imp-1", files, bytesEach);
      StagingCopy fanout = new StagingCopy(ParallelCopier.builder().threads(threads).build());

      fanout.copy(c1, warm, c2, BenchStaging.TABLE, "warm-up");
      distCp(conf, warm, dfs2.getURI() + "/distcp/warm-up", 101);

      Run first = null;
      Run best = null;
      for (int round = 1; round <= FANOUT_ROUNDS; round++) {
        String importId = "imp-" + round;
        Run r = timed(() -> {
          org.apache.hadoop.fs.Path target = fanout.copy(c1, dir, c2, BenchStaging.TABLE, importId);
          check("fanout", 0, count(conf, target.toString()), files + 1);
        });
        first = first == null ? r : first;
        best = best == null || r.seconds() < best.seconds() ? r : best;
      }
      Run d = timed(() -> distCp(conf, dir, dfs2.getURI() + "/distcp/imp-1", files + 1));
      Run floor = timed(() -> bareCreates(c2, files, (int) bytesEach, threads));
      System.out.printf("copy %d files of %d bytes, HDFS to HDFS: distcp (local mode) %.2f s (CPU %.1f s);"
          + " fanout %d streams: first run %.2f s (CPU %.1f s), best of %d %.2f s; fanout is %.1fx faster"
          + " (%.1fx on its best run)%n", files, bytesEach, d.seconds(), d.cpuSeconds(), threads, first.seconds(),
          first.cpuSeconds(), FANOUT_ROUNDS, best.seconds(), d.seconds() / first.seconds(), d.seconds() / best.seconds());
      System.out.printf("  HDFS floor on this machine: %d bare create+write+close of %d bytes with %d threads take"
          + " %.2f s (CPU %.1f s), so no copier here can be more than %.1fx faster than this DistCp%n", files,
          bytesEach, threads, floor.seconds(), floor.cpuSeconds(), d.seconds() / floor.seconds());
    } finally {
      dfs1.shutdown(true);
      dfs2.shutdown(true);
    }
  }

  private static void distCp(Configuration conf, org.apache.hadoop.fs.Path source, String target, int expected)
      throws Exception {
    Configuration distConf = new Configuration(conf);
    distConf.set("mapreduce.framework.name", "local");
    List<String> args = new ArrayList<>(List.of("-update", source.toString(), target));
    Integer maps = Integer.getInteger("distcp.maps");
    if (maps != null) {  // the local job runner runs one map at a time unless told otherwise
      distConf.setInt("mapreduce.local.map.tasks.maximum", maps);
      args.addAll(0, List.of("-m", maps.toString()));
    }
    int rc = ToolRunner.run(distConf, new DistCp(distConf, null), args.toArray(String[]::new));
    check("DistCp", rc, count(conf, target), expected);
  }

  /** Only HDFS's own work: files created, written and closed in place, no reads, no renames. */
  private static void bareCreates(Cluster cluster, int files, int bytesEach, int threads) throws Exception {
    byte[] data = new byte[bytesEach];
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(cluster.basedir(), "floor");
    cluster.fs().mkdirs(dir);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "f" + i);
        done.add(pool.submit(() -> {
          try (OutputStream out = cluster.fs().create(file, true)) {
            out.write(data);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static int count(Configuration conf, String dir) throws Exception {
    return FileSystem.get(URI.create(dir), conf).listStatus(new org.apache.hadoop.fs.Path(dir)).length;
  }

  private static void check(String tool, int rc, int landed, int expected) {
    if (rc != 0 || landed != expected) {
      throw new IllegalStateException(tool + " exited " + rc + " and landed " + landed + " of " + expected + " files");
    }
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Run timed(Body body) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    body.run();
    return new Run((System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
  }

  private static MiniDFSCluster start(Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    conf.setInt("dfs.replication", 1);
    return new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
  }
}
