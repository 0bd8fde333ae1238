package dev.fanout.copy;

import org.apache.hadoop.fs.Path;

/**
 * One file to copy: where from, where to, how long it is, and its CRC-32C (hex) when known, so the copy
 * can prove it read what was written at the source.
 */
public record FileCopy(Path source, Path target, long length, String crc32c) {}
