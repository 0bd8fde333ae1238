package dev.fanout.load;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.data.Record;

/**
 * A row's key and content reduced to values a merge can compare: the key as a string, the content as a
 * 128-bit digest. Each value goes in with a tag of its kind and, for text and bytes, its length, and null
 * is its own tag, so NULL, "" and "null" differ and a value can never run into its neighbour. Widened
 * values digest alike (an int as the long it becomes, a float as the double), so a column widened at the
 * source does not make every row look changed. One instance per merge: it reuses its digest.
 */
final class RowFingerprint {
  private final MessageDigest md5 = md5();
  private final ByteBuffer scratch = ByteBuffer.allocate(17);

  static String key(Record row, List<String> columns) {
    StringBuilder out = new StringBuilder();
    for (String c : columns) {
      Object v = HistoryTable.valueOf(row, c);
      if (v == null) {
        out.append("-|");
      } else {
        String s = text(v);
        out.append(s.length()).append(':').append(s).append('|');
      }
    }
    return out.toString();
  }

  byte[] content(Record row, List<String> columns) {
    for (String c : columns) {
      add(HistoryTable.valueOf(row, c));
    }
    return md5.digest();
  }

  private void add(Object v) {
    scratch.clear();
    if (v == null) {
      scratch.put((byte) 0);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      scratch.put((byte) 1).putLong(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      scratch.put((byte) 2).putLong(Double.doubleToLongBits(((Number) v).doubleValue()));
    } else if (v instanceof LocalDate d) {
      scratch.put((byte) 3).putLong(d.toEpochDay());
    } else if (v instanceof LocalDateTime t) {
      scratch.put((byte) 4).putLong(t.toEpochSecond(ZoneOffset.UTC)).putInt(t.getNano());
    } else if (v instanceof OffsetDateTime t) {
      scratch.put((byte) 5).putLong(t.toEpochSecond()).putInt(t.getNano());
    } else if (v instanceof LocalTime t) {
      scratch.put((byte) 6).putLong(t.toNanoOfDay());
    } else if (v instanceof Boolean b) {
      scratch.put((byte) 7).put((byte) (b ? 1 : 0));
    } else if (v instanceof UUID u) {
      scratch.put((byte) 8).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    } else {
      byte[] bytes = v instanceof BigDecimal d ? d.toString().getBytes(StandardCharsets.US_ASCII)
          : v instanceof ByteBuffer b ? bytesOf(b)
          : v instanceof byte[] b ? b
          : v.toString().getBytes(StandardCharsets.UTF_8);
      scratch.put((byte) 9).putInt(bytes.length);
      md5.update(scratch.array(), 0, scratch.position());
      md5.update(bytes);
      return;
    }
    md5.update(scratch.array(), 0, scratch.position());
  }

  private static String text(Object v) {
    if (v instanceof ByteBuffer b) {
      return HexFormat.of().formatHex(bytesOf(b));
    }
    if (v instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (v instanceof Integer i) {
      return Long.toString(i); // a key widened from int to long stays the same key
    }
    return v.toString();
  }

  private static byte[] bytesOf(ByteBuffer b) {
    ByteBuffer copy = b.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5"); // a fingerprint, not a secret: collisions by chance only
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }
}
