package dev.fanout.copy;

import static dev.fanout.copy.StagingFixture.TABLE;
import static dev.fanout.copy.StagingFixture.cluster;
import static dev.fanout.copy.StagingFixture.id;
import static dev.fanout.copy.StagingFixture.contents;
import static dev.fanout.copy.StagingFixture.path;
import static dev.fanout.copy.StagingFixture.read;
import static dev.fanout.copy.StagingFixture.stage;
import static dev.fanout.copy.StagingFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagingArea;
import dev.fanout.testing.Hdfs;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copying a staging directory from one cluster to another: local disks and two real in-process HDFS
 * clusters; whole, verified, resumable, and never visible half-copied.
 */
class StagingCopyTest {
  @TempDir static java.nio.file.Path shared;
  @TempDir java.nio.file.Path tmp;
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

  private Cluster local(String name) {
    return cluster(name, "file:///", tmp.resolve(name).toString());
  }

  private static Cluster dfs1(String basedir) {
    return cluster("dfs1", hdfs1.uri(), basedir);
  }

  private static Cluster dfs2(String basedir) {
    return cluster("dfs2", hdfs2.uri(), basedir);
  }

  private static StagingCopy stagingCopy() {
    return new StagingCopy(ParallelCopier.builder().threads(3).build());
  }

  private static List<String> names(FileSystem fs, Path dir) throws IOException {
    return Arrays.stream(fs.listStatus(dir)).map(s -> s.getPath().getName()).sorted().toList();
  }

  @Test
  void copiesAStagingDirectoryBetweenLocalDirectories() throws IOException {
    Cluster c1 = local("c1");
    Cluster c2 = local("c2");
    Path dir = stage(c1, id(1), 4, 100_000);

    Path copied = stagingCopy().copy(c1, dir, c2, TABLE, id(1));

    assertThat(copied).isEqualTo(new StagingArea(c2).directory(TABLE, id(1)));
    assertThat(contents(c2.fs(), copied)).isEqualTo(contents(c1.fs(), dir)).hasSize(5);
    assertThat(new StagingArea(c2).readManifest(copied, TABLE, copied.getName())).contains(new StagingArea(c1).readManifest(dir, TABLE, dir.getName()).get());
  }

  @Test
  void copiesAStagingDirectoryFromLocalDiskToHdfsAndOnToAnotherHdfsCluster() throws IOException {
    Cluster local = local("c1");
    Cluster dfs1 = dfs1("/fanout");
    Cluster dfs2 = dfs2("/data/fanout");
    Path dir = stage(local, id(2), 5, 300_000);
    StagingCopy copy = new StagingCopy(ParallelCopier.builder().threads(3).verifyReadback(true).build());

    Path onDfs1 = copy.copy(local, dir, dfs1, TABLE, id(2));
    Path onDfs2 = copy.copy(dfs1, onDfs1, dfs2, TABLE, id(2));

    assertThat(onDfs1.toString()).isEqualTo(hdfs1.uri() + "/fanout/.staging/sales/orders/" + id(2));
    assertThat(onDfs2.toString()).isEqualTo(hdfs2.uri() + "/data/fanout/.staging/sales/orders/" + id(2));
    assertThat(contents(dfs1.fs(), onDfs1)).isEqualTo(contents(local.fs(), dir)).hasSize(6);
    assertThat(contents(dfs2.fs(), onDfs2)).isEqualTo(contents(local.fs(), dir));
    assertThat(new StagingArea(dfs2).readManifest(onDfs2, TABLE, onDfs2.getName()).get().files()).hasSize(5);
  }

  @Test
  void aManifestEditedToNameAFileOutsideItsDirectoryIsNeverCopied() throws IOException {
    Cluster from = local("tampered-from");
    Cluster to = local("tampered-to");
    Path dir = stage(from, id(11), 2, 1000);
    Path secret = new Path(from.basedir(), "fanout.key");
    write(from.fs(), secret, "the key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path manifest = path(dir, StageManifest.FILE_NAME);
    String json = new String(read(from.fs(), manifest), java.nio.charset.StandardCharsets.UTF_8);
    write(from.fs(), manifest, json.replace("part-00000-00000.parquet", "../../../../fanout.key")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThatThrownBy(() -> stagingCopy().copy(from, dir, to, TABLE, id(11)))
        .isInstanceOf(dev.fanout.failure.NeedsPersonException.class)
        .hasMessageContaining("names the file '../../../../fanout.key', which is not a bare file name");
    assertThat(to.fs().exists(new StagingArea(to).directory(TABLE, id(11)))).isFalse();
  }

  @Test
  void aRerunAfterAnInterruptedCopyCopiesOnlyWhatIsMissing() throws IOException {
    Cluster from = local("from");
    Cluster to = dfs1("/rerun");
    Path dir = stage(from, id(3), 6, 50_000);
    Path target = stagingCopy().copy(from, dir, to, TABLE, id(3));

    // as if the first copy had died: two files and the manifest not there yet, a temporary file left over
    to.fs().delete(path(target, "part-00001-00000.parquet"), false);
    to.fs().delete(path(target, "part-00004-00000.parquet"), false);
    to.fs().delete(path(target, StageManifest.FILE_NAME), false);
    write(to.fs(), path(target, ".part-00001-00000.parquet.fanout-tmp"), new byte[] {1, 2, 3});
    assertThat(new StagingArea(to).readManifest(target, TABLE, target.getName())).isEmpty();

    CountingCopier counting = new CountingCopier(ParallelCopier.builder().build());
    new StagingCopy(counting).copy(from, dir, to, TABLE, id(3));

    assertThat(counting.copied).isEqualTo(3);  // two data files and the manifest
    assertThat(counting.skipped).isEqualTo(4);
    assertThat(counting.bytes).isEqualTo(2 * 50_000 + to.fs().getFileStatus(path(target, "_manifest.json")).getLen());
    assertThat(contents(to.fs(), target)).isEqualTo(contents(from.fs(), dir));
  }

  @Test
  void aFileOfAnotherLengthAtTheDestinationIsReplaced() throws IOException {
    Cluster from = dfs1("/replace");
    Cluster to = dfs2("/replace");
    Path dir = stage(from, id(4), 2, 10_000);
    Path target = new StagingArea(to).directory(TABLE, id(4));
    write(to.fs(), path(target, "part-00000-00000.parquet"), new byte[] {42});  // HDFS never renames over a file

    stagingCopy().copy(from, dir, to, TABLE, id(4));

    assertThat(contents(to.fs(), target)).isEqualTo(contents(from.fs(), dir));
  }

  @Test
  void aCorruptedSourceFileFailsWithAClearErrorAndLeavesNoFinalFile() throws IOException {
    Cluster from = local("damaged");
    Cluster to = dfs2("/damaged");
    Path dir = stage(from, id(5), 3, 10_000);
    java.nio.file.Path file = java.nio.file.Path.of(dir.toUri().getPath(), "part-00001-00000.parquet");
    byte[] bytes = Files.readAllBytes(file);
    bytes[5000] ^= 0x01;  // a bit flipped on disk after the manifest was written
    Files.write(file, bytes);

    assertThatThrownBy(() -> stagingCopy().copy(from, dir, to, TABLE, id(5)))
        .isInstanceOf(FanoutException.class)
        .hasMessageStartingWith("Cannot copy part-00001-00000.parquet of staging directory " + dir
            + " from cluster damaged to " + hdfs2.uri() + "/damaged/.staging/sales/orders/" + id(5) + "/part-00001-00000.parquet"
            + " on cluster dfs2: the source file is damaged (its CRC-32C is ")
        .hasMessageEndingWith("as recorded when it was written).");
    Path target = new StagingArea(to).directory(TABLE, id(5));
    assertThat(names(to.fs(), target)).doesNotContain("part-00001-00000.parquet", StageManifest.FILE_NAME)
        .noneMatch(name -> name.endsWith(".fanout-tmp"));
    assertThat(new StagingArea(to).readManifest(target, TABLE, target.getName())).isEmpty();
  }

  @Test
  void theManifestAppearsLast() throws IOException {
    Cluster from = local("order");
    Cluster to = dfs2("/order");
    Path dir = stage(from, id(6), 4, 200_000);
    Path target = new StagingArea(to).directory(TABLE, id(6));
    List<Boolean> manifestSeenDuringCopy = Collections.synchronizedList(new ArrayList<>());
    List<String> arrivals = new ArrayList<>();
    Copier observed = (src, dst, files) -> {
      CopyResult r = ParallelCopier.builder().threads(2).bufferBytes(64 * 1024)
          .progress(n -> manifestSeenDuringCopy.add(new StagingArea(to).readManifest(target, TABLE, target.getName()).isPresent()))
          .build().copy(src, dst, files);
      files.forEach(f -> arrivals.add(f.target().getName()));
      return r;
    };

    new StagingCopy(observed).copy(from, dir, to, TABLE, id(6));

    assertThat(arrivals).hasSize(5).last().isEqualTo(StageManifest.FILE_NAME);
    assertThat(manifestSeenDuringCopy).hasSizeGreaterThan(4).containsOnly(false);
    assertThat(new StagingArea(to).readManifest(target, TABLE, target.getName())).isPresent();
  }

  @Test
  void aStagingDirectoryWithoutManifestIsRefused() throws IOException {
    Cluster from = local("incomplete");
    Path dir = stage(from, id(7), 2, 1000);
    from.fs().delete(path(dir, StageManifest.FILE_NAME), false);  // the stage step had not finished

    assertThatThrownBy(() -> stagingCopy().copy(from, dir, local("incomplete-to"), TABLE, id(7)))
        .isInstanceOf(FanoutException.class)
        .hasMessage("Staging directory " + dir + " on cluster incomplete has no manifest: it is incomplete, and only"
            + " complete staging directories are copied.");
    assertThat(tmp.resolve("incomplete-to")).doesNotExist();
  }

  @Test
  void aDestinationThatIsNotWritableFailsClearly() throws IOException {
    Cluster from = local("nw");
    Path dir = stage(from, id(8), 1, 1000);
    java.nio.file.Path blocker = tmp.resolve("blocked");
    Files.writeString(blocker, "a file where the base directory should be");
    Cluster toLocal = cluster("blocked", "file:///", blocker.resolve("base").toString());
    Cluster toHdfs = dfs1("/blocked/base");
    write(toHdfs.fs(), new Path("/blocked"), new byte[] {1});

    for (Cluster to : List.of(toLocal, toHdfs)) {
      assertThatThrownBy(() -> stagingCopy().copy(from, dir, to, TABLE, id(8)))
          .isInstanceOf(FanoutException.class)
          .hasMessageStartingWith("Cannot copy staging directory " + dir + " from cluster nw to "
              + new StagingArea(to).directory(TABLE, id(8)) + " on cluster " + to.name()
              + ": cannot create or list the directory (");
    }
  }

  /** Counts what the real copier copied and skipped. */
  private static final class CountingCopier implements Copier {
    private final Copier delegate;
    int copied;
    int skipped;
    long bytes;

    CountingCopier(Copier delegate) {
      this.delegate = delegate;
    }

    @Override
    public CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files) {
      CopyResult r = delegate.copy(from, to, files);
      copied += r.filesCopied();
      skipped += r.filesSkipped();
      bytes += r.bytesCopied();
      return r;
    }
  }
}
