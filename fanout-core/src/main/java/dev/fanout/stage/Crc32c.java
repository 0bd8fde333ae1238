package dev.fanout.stage;

/** How a CRC-32C appears in a manifest: eight lower-case hex digits, written and compared the same everywhere. */
public final class Crc32c {
  private Crc32c() {}

  public static String hex(long crc) {
    return String.format("%08x", crc);
  }
}
