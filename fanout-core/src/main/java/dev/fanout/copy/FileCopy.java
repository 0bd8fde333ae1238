package dev.fanout.copy;

import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * One file to copy: where from, where to, how long it is, and its CRC-32C (8 hex digits) as recorded
 * when it was written, or {@code null} when none was recorded. With a CRC the copy proves that it read
 * exactly what was written at the source; without one it still proves that the destination received
 * exactly what it read.
 */
public record FileCopy(Path source, Path target, long length, String crc32c) {
  private static final String TEMPORARY_SUFFIX = ".fanout-tmp";

  public FileCopy {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length + " for " + source);
    }
  }

  /**
   * {@code .<name>.fanout-tmp} next to the target: where the copy is written until it is verified. The
   * leading dot hides it from Hadoop's and Parquet's readers; being in the target directory makes the
   * final rename a cheap metadata operation on file systems that have one.
   */
  public Path temporaryTarget() {
    return new Path(target.getParent(), "." + target.getName() + TEMPORARY_SUFFIX);
  }

  static boolean isTemporaryName(String name) {
    return name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX);
  }
}
