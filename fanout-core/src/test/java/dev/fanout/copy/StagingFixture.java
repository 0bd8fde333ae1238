package dev.fanout.copy;

import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Staging directories and clusters for the copy tests, built in a few readable lines. */
final class StagingFixture {
  static final TableName TABLE = TableName.parse("sales.orders");
  private static final String EMPTY_SCHEMA = "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[]}";

  private StagingFixture() {}

  /** Fanout's own cluster configuration, with HDFS clients tuned for a one-DataNode test cluster. */
  static Configuration conf() {
    Configuration conf = Cluster.defaultConfiguration();
    // MiniDFSCluster caches a checksummed local file system; Fanout's clusters use the raw one
    conf.setBoolean("fs.file.impl.disable.cache", true);
    conf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    conf.setInt("dfs.replication", 1);
    return conf;
  }

  static Cluster cluster(String name, String uri, String basedir) {
    return new Cluster(name, URI.create(uri), basedir, conf());
  }

  /**
   * A complete staging directory as the stage step leaves it: {@code files} Parquet-named files of
   * random bytes (the copier never parses them) and a manifest with their lengths and CRC-32Cs.
   */
  static Path stage(Cluster cluster, String importId, int files, int bytesEach) throws IOException {
    StagingArea area = new StagingArea(cluster);
    Path dir = area.directory(TABLE, importId);
    List<StagedFile> staged = new ArrayList<>();
    Random random = new Random(importId.hashCode());
    for (int i = 0; i < files; i++) {
      byte[] data = new byte[bytesEach];
      random.nextBytes(data);
      String name = String.format("part-%05d-00000.parquet", i);
      write(cluster.fs(), new Path(dir, name), data);
      staged.add(new StagedFile(name, bytesEach, 10, crc(data)));
    }
    area.writeManifest(dir, new StageManifest(1, importId, TABLE.toString(), "test", "full", null, null, 10L * files,
        10L * files, (long) files * bytesEach, 1, EMPTY_SCHEMA, staged, Instant.now()));
    return dir;
  }

  /** The {@code n}th import id of a test, in Fanout's form (copies refuse any other). */
  static String id(int n) {
    return String.format("20261201T000000%03dZ-abcdef", n);
  }

  static String crc(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return dev.fanout.stage.Crc32c.hex(crc.getValue());
  }

  static void write(FileSystem fs, Path file, byte[] data) throws IOException {
    try (OutputStream out = fs.create(file, true)) {
      out.write(data);
    }
  }

  static byte[] read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    }
  }

  /** Every file name in a directory with its CRC-32C: two directories are equal when these are. */
  static TreeMap<String, String> contents(FileSystem fs, Path dir) throws IOException {
    TreeMap<String, String> files = new TreeMap<>();
    for (FileStatus st : fs.listStatus(dir)) {
      files.put(st.getPath().getName(), crc(read(fs, st.getPath())));
    }
    return files;
  }

  static Path path(Path dir, String name) {
    return new Path(dir, name);
  }
}
