package dev.fanout.copy;

import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Local directories as Hadoop's local job runner needs them (a {@link LocalFileSystem}: it casts to one)
 * and as Fanout's clusters use them (like {@link RawLocalFileSystem}: no {@code .crc} side files written,
 * none expected). The DistCp engine's jobs use it for {@code file://}; every copied file is checked with
 * Fanout's own CRC-32C.
 */
public final class UncheckedLocalFileSystem extends LocalFileSystem {
  public UncheckedLocalFileSystem() {
    super(new RawLocalFileSystem());
    setWriteChecksum(false);
    setVerifyChecksum(false);
  }
}
