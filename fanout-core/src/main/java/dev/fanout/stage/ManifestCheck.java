package dev.fanout.stage;

import dev.fanout.failure.NeedsPersonException;
import dev.fanout.metadata.ImportIds;
import dev.fanout.metadata.TableName;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Is a manifest one that Fanout wrote for this table and import? A manifest is a file on a cluster that
 * other people and processes can write, and its file names become paths that are read, renamed and
 * copied: so they must be bare names inside the staging directory, and every figure must add up, before
 * anything is done with them.
 */
final class ManifestCheck {
  /** Bare file names: no separator, no {@code ..}, nothing hidden, nothing a shell or URI would reinterpret. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final Pattern CRC = Pattern.compile("[0-9a-f]{8}");
  static final long MAX_FILE_BYTES = 1L << 40;
  static final long MAX_FILE_ROWS = 1L << 40;
  static final int MAX_FILES = 100_000;

  private ManifestCheck() {}

  /** Returns the manifest, or refuses it with one sentence naming the file and what is wrong. */
  static StageManifest require(StageManifest m, TableName table, String importId, Path file) {
    String problem = problem(m, table, importId);
    if (problem != null) {
      throw new NeedsPersonException("The manifest " + file + " is not one Fanout wrote for " + table + " import "
          + importId + ": " + problem + "; nothing was read, moved or deleted because of it.");
    }
    return m;
  }

  static String problem(StageManifest m, TableName table, String importId) {
    if (m.formatVersion() != 1) {
      return "its format version is " + m.formatVersion() + ", and this Fanout reads version 1";
    }
    if (!ImportIds.valid(m.importId())) {
      return "its import id '" + m.importId() + "' does not have Fanout's form";
    }
    if (!m.importId().equals(importId)) {
      return "it belongs to import " + m.importId();
    }
    if (!table.toString().equals(m.table())) {
      return "it belongs to table " + m.table();
    }
    if (m.files().size() + m.keyFiles().size() > MAX_FILES) {
      return "it lists " + (m.files().size() + m.keyFiles().size()) + " files, more than " + MAX_FILES;
    }
    Set<String> names = new HashSet<>();
    long rows = 0;
    long bytes = 0;
    for (StagedFile f : m.files()) {
      String wrong = fileProblem(f, names);
      if (wrong != null) {
        return wrong;
      }
      rows += f.rowCount();
      bytes += f.sizeBytes();
    }
    for (StagedFile f : m.keyFiles()) {
      String wrong = fileProblem(f, names);
      if (wrong != null) {
        return wrong;
      }
    }
    if (m.sourceRowCount() < 0 || m.sessions() < 1) {
      return "its source row count (" + m.sourceRowCount() + ") or sessions (" + m.sessions() + ") is out of range";
    }
    if (rows != m.rowCount() || bytes != m.totalBytes()) {
      return "its files hold " + rows + " rows and " + bytes + " bytes, but it says " + m.rowCount() + " rows and "
          + m.totalBytes() + " bytes";
    }
    return null;
  }

  private static String fileProblem(StagedFile f, Set<String> names) {
    if (f.name() == null || !FILE_NAME.matcher(f.name()).matches() || f.name().contains("..")
        || f.name().equals(StageManifest.FILE_NAME)) {
      return "it names the file '" + f.name() + "', which is not a bare file name of its staging directory";
    }
    if (!names.add(f.name())) {
      return "it names the file " + f.name() + " twice";
    }
    if (f.sizeBytes() < 0 || f.sizeBytes() > MAX_FILE_BYTES || f.rowCount() < 0 || f.rowCount() > MAX_FILE_ROWS) {
      return "file " + f.name() + " has a size of " + f.sizeBytes() + " bytes and " + f.rowCount()
          + " rows, out of range";
    }
    if (f.crc32c() == null || !CRC.matcher(f.crc32c()).matches()) {
      return "file " + f.name() + " has no CRC-32C of 8 hex digits";
    }
    return null;
  }
}
