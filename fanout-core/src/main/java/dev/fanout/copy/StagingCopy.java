package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.Crc32c;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one complete staging directory to the same place under another cluster's base directory,
 * {@code <basedir>/.staging/<db>/<table>/<import-id>/}. Every data file the manifest lists is copied
 * first, checked against the manifest's length and CRC-32C; {@code _manifest.json} is copied last, so the
 * destination's {@link StagingArea#readManifest} sees the directory whole or not at all. A staging
 * directory without a manifest is incomplete and is refused. Calling again after a failure copies only
 * what is missing.
 */
public final class StagingCopy {
  private static final Logger LOG = LoggerFactory.getLogger(StagingCopy.class);
  private final Copier copier;

  public StagingCopy(Copier copier) {
    this.copier = copier;
  }

  /** @return the staging directory on the destination cluster */
  public Path copy(Cluster from, Path sourceDir, Cluster to, TableName table, String importId) {
    return copy(from, sourceDir, f -> new Path(sourceDir, f.name()), to, table, importId).targetDir();
  }

  /** The staging directory on the destination cluster and what it took to fill it. */
  public record Copied(Path targetDir, CopyResult result) {}

  /**
   * Copies a staging directory whose data files may live elsewhere by now: once the local load has
   * moved them into the table, {@code dataFile} names where each one is, and only the manifest is left
   * in {@code sourceDir}.
   */
  public Copied copy(Cluster from, Path sourceDir, Function<StagedFile, Path> dataFile, Cluster to, TableName table,
      String importId) {
    StageManifest manifest = new StagingArea(from).readManifest(sourceDir, table, importId).orElseThrow(() -> new NeedsPersonException(
        "Staging directory " + sourceDir + " on cluster " + from.name() + " has no manifest: it is incomplete, and"
            + " only complete staging directories are copied."));
    Path targetDir = new StagingArea(to).directory(table, importId);
    CopyResult all;
    try {
      CopyResult data = copier.copy(from.fs(), to.fs(), dataFiles(manifest, dataFile, targetDir));
      all = data.plus(copier.copy(from.fs(), to.fs(), List.of(manifestFile(from, sourceDir, targetDir))));
      LOG.info("Copied {} import {} from cluster {} to cluster {}: {} files copied, {} already there, {} bytes in {} ms",
          table, importId, from.name(), to.name(), all.filesCopied(), all.filesSkipped(), all.bytesCopied(),
          all.elapsed().toMillis());
    } catch (CopyException e) {
      String what = e.source() == null ? "staging directory " + sourceDir
          : e.source().getName() + " of staging directory " + sourceDir;
      throw new FanoutException("Cannot copy " + what + " from cluster " + from.name() + " to " + e.target()
          + " on cluster " + to.name() + ": " + e.reason() + ".", e);
    }
    return new Copied(targetDir, all);
  }

  private static List<FileCopy> dataFiles(StageManifest manifest, Function<StagedFile, Path> dataFile,
      Path targetDir) {
    return java.util.stream.Stream.concat(manifest.files().stream(), manifest.keyFiles().stream())
        .map(f -> new FileCopy(dataFile.apply(f), new Path(targetDir, f.name()), f.sizeBytes(), f.crc32c()))
        .toList();
  }

  /** The manifest with its own length and CRC-32C, so its copy is verified like the data files. */
  private static FileCopy manifestFile(Cluster from, Path sourceDir, Path targetDir) {
    Path source = new Path(sourceDir, StageManifest.FILE_NAME);
    try (InputStream in = from.fs().open(source)) {
      byte[] bytes = in.readAllBytes();
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      return new FileCopy(source, new Path(targetDir, StageManifest.FILE_NAME), bytes.length,
          Crc32c.hex(crc.getValue()));
    } catch (IOException e) {
      throw new FanoutException("Cannot read " + source + " on cluster " + from.name() + ": " + e.getMessage(), e);
    }
  }
}
