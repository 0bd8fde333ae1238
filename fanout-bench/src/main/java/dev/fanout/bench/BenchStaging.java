package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.Path;

/** Writes a staging directory of random files with a real manifest, the input of the copy benchmarks. */
final class BenchStaging {
  static final TableName TABLE = TableName.parse("bench.copy");

  private BenchStaging() {}

  static Path write(Cluster cluster, String importId, int files, long bytesEach) throws IOException {
    StagingArea area = new StagingArea(cluster);
    Path dir = area.directory(TABLE, importId);
    List<StagedFile> staged = new ArrayList<>();
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < files; i++) {
      String name = String.format("part-%05d-00000.parquet", i);
      CRC32C crc = new CRC32C();
      try (OutputStream out = cluster.fs().create(new Path(dir, name))) {
        for (long left = bytesEach; left > 0; left -= chunk.length) {
          random.nextBytes(chunk);
          int n = (int) Math.min(chunk.length, left);
          out.write(chunk, 0, n);
          crc.update(chunk, 0, n);
        }
      }
      staged.add(new StagedFile(name, bytesEach, 1, dev.fanout.stage.Crc32c.hex(crc.getValue())));
    }
    area.writeManifest(dir, new StageManifest(1, importId, TABLE.toString(), "bench", "full", null, null, files, files,
        files * bytesEach, 1, "{\"type\":\"struct\",\"schema-id\":0,\"fields\":[]}", staged, Instant.now()));
    return dir;
  }
}
