package dev.fanout.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A row's key and content reduced to values a merge can compare: the key as a string, the content as a
 * 128-bit digest. Each value is written with its length and null is its own marker, so NULL, "" and
 * "null" differ, and a value can never run into its neighbour.
 */
final class RowFingerprint {
  private RowFingerprint() {}

  static String key(List<Object> values) {
    StringBuilder out = new StringBuilder();
    for (Object v : values) {
      if (v == null) {
        out.append("-|");
      } else {
        String s = text(v);
        out.append(s.length()).append(':').append(s).append('|');
      }
    }
    return out.toString();
  }

  static byte[] content(List<Object> values) {
    MessageDigest md5 = md5();
    for (Object v : values) {
      if (v == null) {
        md5.update((byte) 0);
      } else {
        byte[] bytes = text(v).getBytes(StandardCharsets.UTF_8);
        md5.update((byte) 1);
        md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md5.update(bytes);
      }
    }
    return md5.digest();
  }

  private static String text(Object v) {
    if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    return v.toString();
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5"); // a fingerprint, not a secret: collisions by chance only
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }
}
