package dev.fanout.load;

import dev.fanout.util.RowHash;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.apache.iceberg.data.Record;

/**
 * A row's key and content reduced to values a merge can compare: the key as a string (each value with
 * its length, null its own mark, so NULL, "" and "null" differ), the content as verify's {@link RowHash},
 * under which widened values (an int as the long it becomes) hash alike.
 */
final class RowFingerprint {
  private RowFingerprint() {}

  static String key(Record row, List<String> columns) {
    StringBuilder out = new StringBuilder();
    for (String c : columns) {
      Object v = Rows.valueOf(row, c);
      if (v == null) {
        out.append("-|");
      } else {
        String s = text(v);
        out.append(s.length()).append(':').append(s).append('|');
      }
    }
    return out.toString();
  }

  static long content(Record row, List<String> columns) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = Rows.valueOf(row, columns.get(i));
    }
    return RowHash.of(values);
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
    if (v instanceof Integer i) {
      return Long.toString(i); // a key widened from int to long stays the same key
    }
    return v.toString();
  }
}
