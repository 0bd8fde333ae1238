package dev.fanout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS in this JVM: one NameNode, one DataNode, its storage under a test directory. */
public final class Hdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private Hdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static Hdfs start(Path dir) {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
    // small files otherwise wait ~200 ms each for their block to be acknowledged
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    conf.setInt("dfs.replication", 1);
    try {
      return new Hdfs(new MiniDFSCluster.Builder(conf).numDataNodes(1).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** hdfs://localhost:PORT */
  public String uri() {
    return cluster.getURI().toString();
  }

  public FileSystem fs() {
    try {
      return cluster.getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the NameNode: the cluster is down for its clients until {@link #restartNameNode()}. */
  public void stopNameNode() {
    cluster.shutdownNameNode(0);
  }

  public void restartNameNode() {
    try {
      cluster.restartNameNode(0, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
