package dev.fanout.util;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;

/**
 * A 64-bit hash of one row's values in a canonical form, so that a value read from the source over JDBC
 * (through the import's value readers) and the same value read back from Parquet hash alike: integers
 * of any width as one long, floats as the double they widen to, decimals by unscaled value and scale,
 * timestamps as epoch microseconds, text as UTF-8 with its length, each value behind a type tag. Verify
 * sums it over tables; a merge compares it between a row's old and new versions, where a false "unchanged"
 * needs the two versions of one key to collide (2^-64), not any two rows.
 */
public final class RowHash {
  private static final HashFunction MURMUR = Hashing.murmur3_128();

  private RowHash() {}

  public static long of(Object[] values) {
    Hasher h = MURMUR.newHasher();
    for (Object v : values) {
      put(h, v);
    }
    return h.hash().asLong();
  }

  private static void put(Hasher h, Object v) {
    if (v == null) {
      h.putByte((byte) 0);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      h.putByte((byte) 1).putLong(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      h.putByte((byte) 2).putLong(Double.doubleToLongBits(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal d) {
      byte[] unscaled = d.unscaledValue().toByteArray();
      h.putByte((byte) 3).putInt(d.scale()).putInt(unscaled.length).putBytes(unscaled);
    } else if (v instanceof CharSequence s) {
      byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
      h.putByte((byte) 4).putInt(utf8.length).putBytes(utf8);
    } else if (v instanceof Boolean b) {
      h.putByte((byte) 5).putBoolean(b);
    } else if (v instanceof LocalDate d) {
      h.putByte((byte) 6).putLong(d.toEpochDay());
    } else if (v instanceof LocalTime t) {
      h.putByte((byte) 7).putLong(t.toNanoOfDay() / 1000);
    } else if (v instanceof LocalDateTime t) {
      h.putByte((byte) 8).putLong(ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t));
    } else if (v instanceof OffsetDateTime t) {
      h.putByte((byte) 9).putLong(ChronoUnit.MICROS.between(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), t));
    } else if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      h.putByte((byte) 10).putInt(copy.remaining());
      while (copy.hasRemaining()) {
        h.putByte(copy.get());
      }
    } else if (v instanceof byte[] b) {
      h.putByte((byte) 10).putInt(b.length).putBytes(b);
    } else if (v instanceof UUID u) {
      h.putByte((byte) 11).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    } else {
      String s = v.toString();
      h.putByte((byte) 12).putInt(s.length()).putString(s, StandardCharsets.UTF_8);
    }
  }
}
