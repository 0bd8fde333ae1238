package dev.fanout.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import dev.fanout.testing.Hdfs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying a staging directory between clusters: whole, verified, resumable, and never half-visible. */
class CopierTest {
  private static final TableName TABLE = TableName.parse("sales.orders");
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Hdfs hdfs1;
  private static Hdfs hdfs2;

  @BeforeAll
  static void startClusters() {
    hdfs1 = Hdfs.start(shared.resolve("dfs1"));
    hdfs2 = Hdfs.start(shared.resolve("dfs2"));
  }

  @AfterAll
  static void stopClusters() {
    hdfs1.close();
    hdfs2.close();
  }

  private static Cluster cluster(String name, String uri, String basedir) {
    return new Cluster(name, URI.create(uri), basedir, new Configuration());
  }

  private Cluster local(String name) {
    return cluster(name, "file:///", tmp.resolve(name).toString());
  }

  /** A complete staging directory: a few files of random bytes and their manifest. */
  private static org.apache.hadoop.fs.Path stage(Cluster cluster, String importId, int files, int bytesEach)
      throws IOException {
    StagingArea area = new StagingArea(cluster);
    org.apache.hadoop.fs.Path dir = area.directory(TABLE, importId);
    List<StagedFile> staged = new ArrayList<>();
    Random random = new Random(importId.hashCode());
    for (int i = 0; i < files; i++) {
      byte[] data = new byte[bytesEach];
      random.nextBytes(data);
      String name = String.format("part-%05d-00000.parquet", i);
      try (OutputStream out = cluster.fs().create(new org.apache.hadoop.fs.Path(dir, name))) {
        out.write(data);
      }
      CRC32C crc = new CRC32C();
      crc.update(data);
      staged.add(new StagedFile(name, bytesEach, 10, String.format("%08x", crc.getValue())));
    }
    area.writeManifest(dir, new StageManifest(1, importId, TABLE.toString(), "test", "full", null, null, 10L * files,
        10L * files, (long) files * bytesEach, 1, "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[]}", staged, Instant.now()));
    return dir;
  }

  private static byte[] read(Cluster c, org.apache.hadoop.fs.Path p) throws IOException {
    try (InputStream in = c.fs().open(p)) {
      return in.readAllBytes();
    }
  }

  private static void assertSameDirectory(Cluster a, org.apache.hadoop.fs.Path da, Cluster b, org.apache.hadoop.fs.Path db)
      throws IOException {
    FileStatus[] files = a.fs().listStatus(da);
    assertThat(b.fs().listStatus(db)).hasSameSizeAs(files);
    for (FileStatus f : files) {
      assertThat(read(b, new org.apache.hadoop.fs.Path(db, f.getPath().getName()))).isEqualTo(read(a, f.getPath()));
    }
  }

  @Test
  void copiesBetweenLocalDirectoriesHdfsAndBack() throws IOException {
    Cluster local = local("c1");
    Cluster dfs1 = cluster("dfs1", hdfs1.uri(), "/fanout");
    Cluster dfs2 = cluster("dfs2", hdfs2.uri(), "/data/fanout");
    org.apache.hadoop.fs.Path dir = stage(local, "imp-1", 5, 300_000);
    StagingCopy copy = new StagingCopy(ParallelCopier.builder().threads(3).verifyReadback(true).build());

    org.apache.hadoop.fs.Path onDfs1 = copy.copy(local, dir, dfs1, TABLE, "imp-1");
    org.apache.hadoop.fs.Path onDfs2 = copy.copy(dfs1, onDfs1, dfs2, TABLE, "imp-1");
    org.apache.hadoop.fs.Path back = copy.copy(dfs2, onDfs2, local("c2"), TABLE, "imp-1");

    assertThat(onDfs2.toString()).isEqualTo(hdfs2.uri() + "/data/fanout/.staging/sales/orders/imp-1");
    assertSameDirectory(local, dir, dfs1, onDfs1);
    assertSameDirectory(local, dir, dfs2, onDfs2);
    assertSameDirectory(local, dir, local("c2"), back);
    assertThat(new StagingArea(dfs2).readManifest(onDfs2)).isPresent();
  }

  @Test
  void aRerunCopiesOnlyWhatIsMissing() throws IOException {
    Cluster from = local("from");
    Cluster to = cluster("dfs1", hdfs1.uri(), "/rerun");
    org.apache.hadoop.fs.Path dir = stage(from, "imp-2", 6, 50_000);
    StagingCopy copy = new StagingCopy(ParallelCopier.builder().build());
    org.apache.hadoop.fs.Path target = copy.copy(from, dir, to, TABLE, "imp-2");

    // as if the first copy had died: two files and the manifest missing, a stale temporary file left over
    to.fs().delete(new org.apache.hadoop.fs.Path(target, "part-00001-00000.parquet"), false);
    to.fs().delete(new org.apache.hadoop.fs.Path(target, "part-00004-00000.parquet"), false);
    to.fs().delete(new org.apache.hadoop.fs.Path(target, StageManifest.FILE_NAME), false);
    try (OutputStream out = to.fs().create(new org.apache.hadoop.fs.Path(target, ".part-00001-00000.parquet.fanout-tmp"))) {
      out.write(new byte[] {1, 2, 3});
    }

    CountingCopier counting = new CountingCopier(ParallelCopier.builder().build());
    new StagingCopy(counting).copy(from, dir, to, TABLE, "imp-2");

    assertThat(counting.copied).isEqualTo(3);
    assertThat(counting.skipped).isEqualTo(4);
    assertSameDirectory(from, dir, to, target);
  }

  @Test
  void aDamagedSourceFileFailsTheCopyAndLeavesNoFinalFile() throws IOException {
    Cluster from = local("damaged");
    Cluster to = local("damaged-to");
    org.apache.hadoop.fs.Path dir = stage(from, "imp-3", 2, 10_000);
    Path file = Path.of(dir.toUri().getPath(), "part-00001-00000.parquet");
    byte[] bytes = Files.readAllBytes(file);
    bytes[5000] ^= 0x01;
    Files.write(file, bytes);
    // without the local file system's own checksum file, only Fanout's CRC-32C can notice
    Files.deleteIfExists(file.resolveSibling(".part-00001-00000.parquet.crc"));

    assertThatThrownBy(() -> new StagingCopy(ParallelCopier.builder().build()).copy(from, dir, to, TABLE, "imp-3"))
        .isInstanceOf(FanoutException.class)
        .hasMessageContaining("part-00001-00000.parquet")
        .hasMessageContaining("source file is damaged");
    org.apache.hadoop.fs.Path target = new StagingArea(to).directory(TABLE, "imp-3");
    assertThat(to.fs().exists(new org.apache.hadoop.fs.Path(target, "part-00001-00000.parquet"))).isFalse();
    assertThat(new StagingArea(to).readManifest(target)).isEmpty();
  }

  @Test
  void theManifestArrivesLast() throws IOException {
    Cluster from = local("order");
    Cluster to = local("order-to");
    org.apache.hadoop.fs.Path dir = stage(from, "imp-4", 4, 20_000);
    List<String> arrivals = new ArrayList<>();
    Copier recording = (src, dst, files) -> {
      CopyResult r = ParallelCopier.builder().threads(1).build().copy(src, dst, files);
      files.forEach(f -> arrivals.add(f.target().getName()));
      return r;
    };
    new StagingCopy(recording).copy(from, dir, to, TABLE, "imp-4");
    assertThat(arrivals).hasSize(5).last().isEqualTo(StageManifest.FILE_NAME);
  }

  @Test
  void aBandwidthLimitSlowsTheCopy() throws IOException {
    Cluster from = local("slow");
    org.apache.hadoop.fs.Path dir = stage(from, "imp-5", 2, 1 << 20);
    long start = System.nanoTime();
    new StagingCopy(ParallelCopier.builder().threads(2).bandwidth(1 << 20).build()).copy(from, dir, local("slow-to"),
        TABLE, "imp-5");
    assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(0.9);
  }

  @Test
  void aDestinationThatIsNotWritableFailsClearly() throws IOException {
    Cluster from = local("nw");
    org.apache.hadoop.fs.Path dir = stage(from, "imp-6", 1, 1000);
    Path blocker = tmp.resolve("blocked");
    Files.writeString(blocker, "a file where a directory should be");
    Cluster to = cluster("blocked", "file:///", blocker.resolve("base").toString());
    assertThatThrownBy(() -> new StagingCopy(ParallelCopier.builder().build()).copy(from, dir, to, TABLE, "imp-6"))
        .isInstanceOf(FanoutException.class).hasMessageContaining("blocked").hasMessageContaining("for the copy");
  }

  /** Counts what the real copier copied and skipped. */
  private static final class CountingCopier implements Copier {
    private final Copier delegate;
    int copied;
    int skipped;

    CountingCopier(Copier delegate) {
      this.delegate = delegate;
    }

    @Override
    public CopyResult copy(org.apache.hadoop.fs.FileSystem from, org.apache.hadoop.fs.FileSystem to, List<FileCopy> files) {
      CopyResult r = delegate.copy(from, to, files);
      copied += r.filesCopied();
      skipped += r.filesSkipped();
      return r;
    }
  }
}
