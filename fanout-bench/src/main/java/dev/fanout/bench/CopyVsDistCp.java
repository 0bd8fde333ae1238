package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.copy.StagingCopy;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.tools.DistCp;
import org.apache.hadoop.util.ToolRunner;

/**
 * The copier against Hadoop DistCp in local mode for 1,000 small files between two in-process HDFS
 * clusters. DistCp's success is its exit code plus a count of the files at the destination.
 * Usage: WORK_DIR [FILES] [BYTES_EACH]
 */
public final class CopyVsDistCp {
  private CopyVsDistCp() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    long bytesEach = args.length > 2 ? Long.parseLong(args[2]) : 1024;
    MiniDFSCluster dfs1 = start(work.resolve("dfs1"));
    MiniDFSCluster dfs2 = start(work.resolve("dfs2"));
    try {
      Configuration conf = dfs1.getConfiguration(0);
      Cluster c1 = new Cluster("dfs1", dfs1.getURI(), "/bench", conf);
      Cluster c2 = new Cluster("dfs2", dfs2.getURI(), "/bench", conf);
      org.apache.hadoop.fs.Path dir = BenchStaging.write(c1, "imp-1", files, bytesEach);

      long t0 = System.nanoTime();
      new StagingCopy(ParallelCopier.builder().threads(Integer.getInteger("threads", 16)).build()).copy(c1, dir, c2, BenchStaging.TABLE, "imp-1");
      double fanout = (System.nanoTime() - t0) / 1e9;

      Configuration distConf = new Configuration(conf);
      distConf.set("mapreduce.framework.name", "local");
      String target = dfs2.getURI() + "/distcp/imp-1";
      long t1 = System.nanoTime();
      int rc = ToolRunner.run(distConf, new DistCp(distConf, null), new String[] {"-update", dir.toString(), target});
      double distcp = (System.nanoTime() - t1) / 1e9;
      FileSystem fs2 = FileSystem.get(URI.create(target), conf);
      int landed = fs2.listStatus(new org.apache.hadoop.fs.Path(target)).length;
      if (rc != 0 || landed != files + 1) {
        throw new IllegalStateException("DistCp exited " + rc + " and landed " + landed + " of " + (files + 1) + " files");
      }
      System.out.printf("copy %d files of %d bytes, HDFS to HDFS: distcp (local mode) %.2f s, fanout %.2f s,"
          + " fanout is %.1fx faster%n", files, bytesEach, distcp, fanout, distcp / fanout);
    } finally {
      dfs1.shutdown(true);
      dfs2.shutdown(true);
    }
  }

  private static MiniDFSCluster start(Path dir) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    return new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
  }
}
