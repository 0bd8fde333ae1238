package dev.fanout.copy;

import dev.fanout.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.TableName;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Copies one complete staging directory to the same place on another cluster: every data file first,
 * {@code _manifest.json} last, so the destination sees the directory whole or not at all.
 */
public final class StagingCopy {
  private final Copier copier;

  public StagingCopy(Copier copier) {
    this.copier = copier;
  }

  /** @return the staging directory on the destination cluster */
  public Path copy(Cluster from, Path sourceDir, Cluster to, TableName table, String importId) {
    StageManifest manifest = new StagingArea(from).readManifest(sourceDir).orElseThrow(() -> new FanoutException(
        "Staging directory " + sourceDir + " has no manifest; only complete staging directories are copied."));
    Path targetDir = new StagingArea(to).directory(table, importId);
    List<FileCopy> files = manifest.files().stream()
        .map(f -> new FileCopy(new Path(sourceDir, f.name()), new Path(targetDir, f.name()), f.sizeBytes(), f.crc32c()))
        .toList();
    copier.copy(from.fs(), to.fs(), files);
    Path manifestFile = new Path(sourceDir, StageManifest.FILE_NAME);
    try {
      long length = from.fs().getFileStatus(manifestFile).getLen();
      copier.copy(from.fs(), to.fs(), List.of(new FileCopy(manifestFile, new Path(targetDir, StageManifest.FILE_NAME),
          length, null)));
    } catch (IOException e) {
      throw new FanoutException("Cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    return targetDir;
  }
}
