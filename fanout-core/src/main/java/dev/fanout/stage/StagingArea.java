package dev.fanout.stage;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.cluster.Cluster;
import dev.fanout.metadata.ImportIds;
import dev.fanout.metadata.TableName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging directories of one cluster: {@code <basedir>/.staging/<db>/<table>/<import-id>/}. A
 * directory counts only once its manifest is there; the manifest is written to a temporary name and
 * renamed, so it appears whole.
 */
public final class StagingArea {
  private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);
  private final Cluster cluster;

  public StagingArea(Cluster cluster) {
    this.cluster = cluster;
  }

  public Path directory(TableName table, String importId) {
    return new Path(cluster.stagingRoot(table.db(), table.table()), importId);
  }

  public void writeManifest(Path dir, StageManifest manifest) {
    FileSystem fs = cluster.fs();
    Path tmp = new Path(dir, "." + StageManifest.FILE_NAME + ".tmp");
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(manifest.toJson());
      }
      if (!fs.rename(tmp, new Path(dir, StageManifest.FILE_NAME))) {
        throw new IOException("rename of " + tmp + " failed");
      }
    } catch (IOException e) {
      throw new FanoutException("Cannot write the manifest of staging directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The staging directory of a recorded staged import. The path comes from a row that another instance
   * may have written (a master publishing to this copy_slave), so it must be this cluster's own staging
   * directory for that table and import; anything else is refused before it is read or deleted.
   */
  public Path directoryOf(TableName table, String importId, String recordedPath) {
    if (!ImportIds.valid(importId)) {
      throw new NeedsPersonException("The staged import '" + importId + "' of " + table + " does not have the form"
          + " of a Fanout import id; nothing of it was read or deleted.");
    }
    Path expected = directory(table, importId);
    Path recorded = recordedPath == null ? null : new Path(recordedPath);
    if (recorded == null || !qualified(recorded).equals(qualified(expected))) {
      throw new NeedsPersonException("Staged import " + importId + " of " + table + " names the staging directory "
          + recordedPath + ", which is not this cluster's staging directory for it (" + expected
          + "); nothing there was read or deleted.");
    }
    return expected;
  }

  private Path qualified(Path p) {
    return cluster.fs().makeQualified(p);
  }

  /**
   * The manifest of a staging directory, checked to be one Fanout wrote for this table and import (see
   * {@link ManifestCheck}), or empty when the directory is missing or incomplete.
   */
  public Optional<StageManifest> readManifest(Path dir, TableName table, String importId) {
    Path file = new Path(dir, StageManifest.FILE_NAME);
    try (InputStream in = cluster.fs().open(file)) {
      return Optional.of(ManifestCheck.require(StageManifest.fromJson(in), table, importId, file));
    } catch (java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // written last and whole, so a manifest that does not parse was damaged later: reading again will not help
      throw new NeedsPersonException("The manifest " + file + " is damaged (" + e.getOriginalMessage()
          + "); the staged import must be staged again.", e);
    } catch (IOException e) {
      throw new FanoutException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the staging directories of a table that a crashed import left behind: those without a
   * manifest (the stage died) and complete ones no staged import records (it died between the manifest
   * and the record, so nothing will ever load them). Called only under the table's import lock, so no
   * live stage is in them.
   *
   * @param recorded whether an import id has a {@code staged_imports} row, in any state
   */
  public List<Path> removeIncomplete(TableName table, Predicate<String> recorded) {
    List<Path> removed = new ArrayList<>();
    Path root = cluster.stagingRoot(table.db(), table.table());
    try {
      if (!cluster.fs().exists(root)) {
        return removed;
      }
      for (FileStatus st : cluster.fs().listStatus(root)) {
        String name = st.getPath().getName();
        boolean incomplete = !cluster.fs().exists(new Path(st.getPath(), StageManifest.FILE_NAME));
        if (st.isDirectory() && (incomplete || ImportIds.valid(name) && !recorded.test(name))) {
          cluster.fs().delete(st.getPath(), true);
          removed.add(st.getPath());
          LOG.info("Removed {} staging directory {}", incomplete ? "incomplete" : "unrecorded", st.getPath());
        }
      }
    } catch (IOException e) {
      throw new FanoutException("Cannot clean the staging directories of " + table + ": " + e.getMessage(), e);
    }
    return removed;
  }

  public void remove(Path dir) {
    try {
      cluster.fs().delete(dir, true);
    } catch (IOException e) {
      LOG.warn("Could not remove staging directory {}: {}", dir, e.getMessage());
    }
  }
}
