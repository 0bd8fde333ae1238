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
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import dev.fanout.testing.Hdfs;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DistCp engine: DistCp in local mode copies the same staging directories as the default engine, to
 * the same bytes, between local disk and a real in-process HDFS; it skips what is in place, and the
 * check after the job catches what DistCp alone would not.
 */
class DistCpCopierTest {
  @TempDir static java.nio.file.Path shared;
  @TempDir java.nio.file.Path tmp;
  private static Hdfs hdfs;

  @BeforeAll
  static void startCluster() {
    hdfs = Hdfs.start(shared.resolve("dfs"));
  }

  @AfterAll
  static void stopCluster() {
    hdfs.close();
  }

  private Cluster local(String name) {
    return cluster(name, "file:///", tmp.resolve(name).toString());
  }

  private static Cluster dfs(String basedir) {
    return cluster("dfs", hdfs.uri(), basedir);
  }

  private static StagingCopy distCp() {
    return new StagingCopy(DistCpCopier.builder(StagingFixture.conf()).maps(2).build());
  }

  private static StagingCopy parallel() {
    return new StagingCopy(ParallelCopier.builder().threads(2).build());
  }

  private static StagingCopy.Copied copy(StagingCopy engine, Cluster from, Path dir, Cluster to, String importId) {
    return engine.copy(from, dir, f -> new Path(dir, f.name()), to, TABLE, importId);
  }

  @Test
  void bothEnginesCopyTheSameStagingDirectoryToHdfsAndBackToTheSameBytes() throws IOException {
    Cluster source = local("source");
    Path dir = stage(source, id(1), 5, 300_000);

    StagingCopy.Copied byDistCp = copy(distCp(), source, dir, dfs("/distcp"), id(1));
    StagingCopy.Copied byParallel = copy(parallel(), source, dir, dfs("/parallel"), id(1));
    StagingCopy.Copied back = copy(distCp(), dfs("/distcp"), byDistCp.targetDir(), local("back"), id(1));

    assertThat(contents(hdfs.fs(), byDistCp.targetDir())).hasSize(6)
        .isEqualTo(contents(hdfs.fs(), byParallel.targetDir()))
        .isEqualTo(contents(source.fs(), dir))
        .isEqualTo(contents(local("back").fs(), back.targetDir()));
    assertThat(byDistCp.result().filesCopied()).isEqualTo(6);  // five by the job, the manifest in process
    assertThat(byDistCp.result().bytesCopied()).isEqualTo(byParallel.result().bytesCopied());
    assertThat(new StagingArea(local("back")).readManifest(back.targetDir(), TABLE, back.targetDir().getName()))
        .contains(new StagingArea(source).readManifest(dir, TABLE, dir.getName()).get());
  }

  @Test
  void aSecondRunCopiesNothingNewAndARerunOnlyWhatIsMissing() throws IOException {
    Cluster source = local("source");
    Cluster to = dfs("/update");
    Path dir = stage(source, id(2), 4, 200_000);
    Path target = copy(distCp(), source, dir, to, id(2)).targetDir();

    CopyResult again = copy(distCp(), source, dir, to, id(2)).result();
    assertThat(again.filesCopied()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(5);
    assertThat(again.bytesCopied()).isZero();

    to.fs().delete(path(target, "part-00002-00000.parquet"), false);
    CopyResult rerun = copy(distCp(), source, dir, to, id(2)).result();
    assertThat(rerun.filesCopied()).isEqualTo(1);
    assertThat(rerun.bytesCopied()).isEqualTo(200_000);
    assertThat(contents(to.fs(), target)).isEqualTo(contents(source.fs(), dir));
  }

  @Test
  void dataFilesTheLoadRenamedIntoTheTableLandUnderTheirStagedNames() throws IOException {
    Cluster source = dfs("/renamed");
    Path dir = stage(source, id(3), 3, 100_000);
    Path tableData = new Path(source.basedir(), "warehouse/sales/orders/data");
    source.fs().mkdirs(tableData);
    List<StagedFile> files = new StagingArea(source).readManifest(dir, TABLE, dir.getName()).get().files();
    for (StagedFile f : files) {  // as the load leaves them: only the manifest stays in the staging directory
      source.fs().rename(path(dir, f.name()), new Path(tableData, id(3) + "-" + f.name()));
    }

    Path target = distCp().copy(source, dir, f -> new Path(tableData, id(3) + "-" + f.name()), local("to"), TABLE,
        id(3)).targetDir();

    assertThat(contents(local("to").fs(), target).keySet())
        .containsExactlyInAnyOrder("part-00000-00000.parquet", "part-00001-00000.parquet", "part-00002-00000.parquet",
            StageManifest.FILE_NAME);
    for (StagedFile f : files) {
      assertThat(StagingFixture.crc(read(local("to").fs(), path(target, f.name())))).isEqualTo(f.crc32c());
    }
  }

  @Test
  void aDamagedSourceFileFailsNamingItAndLeavesNeitherItsCopyNorTheManifest() throws IOException {
    Cluster source = local("damaged");
    Cluster to = dfs("/damaged");
    Path dir = stage(source, id(4), 3, 100_000);
    java.nio.file.Path file = java.nio.file.Path.of(dir.toUri().getPath(), "part-00001-00000.parquet");
    byte[] bytes = Files.readAllBytes(file);
    bytes[5000] ^= 0x01;  // a bit flipped on disk after the manifest was written
    Files.write(file, bytes);

    assertThatThrownBy(() -> copy(distCp(), source, dir, to, id(4)))
        .isInstanceOf(FanoutException.class)
        .hasMessageStartingWith("Cannot copy part-00001-00000.parquet of staging directory " + dir
            + " from cluster damaged to " + hdfs.uri() + "/damaged/.staging/sales/orders/" + id(4) + "/part-00001-00000.parquet"
            + " on cluster dfs: the source file is damaged (its CRC-32C is ")
        .hasMessageEndingWith("as recorded when it was written).");
    Path target = new StagingArea(to).directory(TABLE, id(4));
    assertThat(contents(to.fs(), target).keySet())
        .containsExactlyInAnyOrder("part-00000-00000.parquet", "part-00002-00000.parquet");
  }

  @Test
  void aDestinationFileDamagedOrMissingAfterTheJobIsDetected() throws IOException {
    Cluster source = local("source");
    Cluster to = dfs("/check");
    Path dir = stage(source, id(5), 3, 50_000);
    Path target = copy(distCp(), source, dir, to, id(5)).targetDir();
    List<FileCopy> files = new StagingArea(source).readManifest(dir, TABLE, dir.getName()).get().files().stream()
        .map(f -> new FileCopy(path(dir, f.name()), path(target, f.name()), f.sizeBytes(), f.crc32c())).toList();
    CopiedFilesCheck check = new CopiedFilesCheck(source.fs(), to.fs(), 2);
    assertThat(check.check(files)).isEmpty();

    byte[] other = read(to.fs(), path(target, "part-00000-00000.parquet"));
    other[100] ^= 0x01;
    write(to.fs(), path(target, "part-00000-00000.parquet"), other);  // same length, other bytes
    to.fs().delete(path(target, "part-00002-00000.parquet"), false);

    assertThat(check.check(files)).extracting(m -> m.file().target().getName() + ": " + m.reason()).containsExactly(
        "part-00000-00000.parquet: the destination returns different bytes than it was given (CRC-32C "
            + StagingFixture.crc(other) + " read back, " + files.get(0).crc32c() + " as recorded when it was written)",
        "part-00002-00000.parquet: it is not at the destination after the copy");
  }

  @Test
  void aDamagedCopyThatUpdateWouldSkipFailsTheCopyAndTheNextOneRepairsIt() throws IOException {
    Cluster source = local("source");
    Cluster to = local("to");
    Path dir = stage(source, id(6), 3, 50_000);
    Path target = copy(distCp(), source, dir, to, id(6)).targetDir();
    byte[] other = read(to.fs(), path(target, "part-00001-00000.parquet"));
    other[7] ^= 0x01;
    write(to.fs(), path(target, "part-00001-00000.parquet"), other);  // local files have no checksums to compare

    assertThatThrownBy(() -> copy(distCp(), source, dir, to, id(6)))
        .hasMessageContaining("Cannot copy part-00001-00000.parquet of staging directory ")
        .hasMessageContaining(": the destination returns different bytes than it was given");
    assertThat(to.fs().exists(path(target, "part-00001-00000.parquet"))).isFalse();

    assertThat(copy(distCp(), source, dir, to, id(6)).result().filesCopied()).isEqualTo(1);
    assertThat(contents(to.fs(), target)).isEqualTo(contents(source.fs(), dir));
  }

  @Test
  void betweenHdfsDirectoriesDistCpsOwnChecksumsReplaceADamagedCopy() throws IOException {
    Cluster from = dfs("/hdfs-from");
    Cluster to = dfs("/hdfs-to");
    Path dir = stage(from, id(7), 3, 50_000);
    Path target = copy(distCp(), from, dir, to, id(7)).targetDir();
    byte[] other = read(to.fs(), path(target, "part-00001-00000.parquet"));
    other[7] ^= 0x01;
    write(to.fs(), path(target, "part-00001-00000.parquet"), other);

    CopyResult again = copy(distCp(), from, dir, to, id(7)).result();

    assertThat(again.filesCopied()).isEqualTo(1);
    assertThat(again.filesSkipped()).isEqualTo(3);  // two data files and the manifest
    assertThat(contents(to.fs(), target)).isEqualTo(contents(from.fs(), dir));
  }

  @Test
  void aMissingSourceFileIsNamedBeforeAnyJobRuns() throws IOException {
    Cluster source = local("missing");
    Path dir = stage(source, id(8), 2, 10_000);
    source.fs().delete(path(dir, "part-00001-00000.parquet"), false);

    assertThatThrownBy(() -> copy(distCp(), source, dir, local("missing-to"), id(8)))
        .hasMessageStartingWith("Cannot copy part-00001-00000.parquet of staging directory " + dir)
        .hasMessageContaining(": cannot open the source file (not found: ");
  }

  @Test
  void aFailedJobFailsTheCopyNamingAFileItLeftOut() throws IOException {
    Cluster source = local("failing");
    Cluster to = local("failing-to");
    Path dir = stage(source, id(10), 3, 10_000);
    Path target = new StagingArea(to).directory(TABLE, id(10));
    to.fs().mkdirs(path(target, "part-00001-00000.parquet"));  // a directory where a file must go

    assertThatThrownBy(() -> copy(distCp(), source, dir, to, id(10)))
        .isInstanceOf(FanoutException.class)
        .hasMessageMatching("Cannot copy part-00001-00000.parquet of staging directory " + dir
            + " from cluster failing to .* on cluster failing-to: the DistCp job job_local\\d+_\\d+ failed; a"
            + " directory is where the file should go\\.");
    assertThat(new StagingArea(to).readManifest(target, TABLE, target.getName())).isEmpty();
  }

  @Test
  void onYarnItNeedsTheClustersConfigurationAndClusterFileSystems() throws IOException {
    assertThatThrownBy(() -> DistCpCopier.builder(StagingFixture.conf()).onYarn(null).build())
        .isInstanceOf(FanoutException.class)
        .hasMessage("The distcp-yarn copy engine needs the YARN cluster's configuration, and HADOOP_CONF_DIR is not"
            + " set: set HADOOP_CONF_DIR to the directory with the cluster's yarn-site.xml and mapred-site.xml, or"
            + " use the distcp engine (local job runner).");

    java.nio.file.Path conf = Files.createDirectories(tmp.resolve("hadoop-conf"));
    Files.writeString(conf.resolve("yarn-site.xml"), "<configuration><property><name>yarn.resourcemanager.address"
        + "</name><value>rm.example:8032</value></property></configuration>");
    DistCpCopier onYarn = DistCpCopier.builder(StagingFixture.conf()).onYarn(conf).build();
    Cluster source = local("yarn-source");
    Path dir = stage(source, id(9), 2, 10_000);
    assertThatThrownBy(() -> new StagingCopy(onYarn).copy(source, dir, dfs("/yarn"), TABLE, id(9)))
        .hasMessageContaining("the distcp-yarn engine runs its copies on the YARN cluster's nodes, which cannot see "
            + dir + "/part-0000");
  }
}
