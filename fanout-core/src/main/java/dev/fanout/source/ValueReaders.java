package dev.fanout.source;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;

/**
 * The reader for each lake type. Primitive getters with {@code wasNull} avoid boxing twice on the hot
 * path; temporal values are read as java.time objects, or in a way no driver can bend (MariaDB TIME as
 * text, DATETIME against UTC), so no time zone of this JVM is applied. The conversions are
 * listed on {@link LakeTypes}.
 */
public final class ValueReaders {
  /** A lake date is an int of days from 1970-01-01, a lake timestamp a long of microseconds. */
  private static final LocalDate FIRST_DATE = LocalDate.ofEpochDay(Integer.MIN_VALUE);
  private static final LocalDate LAST_DATE = LocalDate.ofEpochDay(Integer.MAX_VALUE);
  private static final Pattern END_OF_DAY = Pattern.compile("24:00(:00(\\.0*)?)?");

  private ValueReaders() {}

  public static ValueReader forColumn(String column, int jdbcType, String sourceType, Type lakeType) {
    switch (lakeType.typeId()) {
      case BOOLEAN:
        if (jdbcType == Types.BOOLEAN && "BOOLEAN".equals(sourceType)) {
          // MariaDB's BOOLEAN is TINYINT(1) and holds -128..127; getBoolean read 5 as true. Only 0 and 1 are
          // booleans; anything else fails the import naming the column instead of changing the value.
          return (rs, i) -> {
            int v = rs.getInt(i);
            if (rs.wasNull()) {
              return null;
            }
            if (v != 0 && v != 1) {
              throw new FanoutException("Column " + column + " holds " + v + ", which is not a boolean (0 or 1);"
                  + " MariaDB's BOOLEAN is TINYINT(1): declare it TINYINT, or import a view that casts it to SIGNED.");
            }
            return v == 1;
          };
        }
        return (rs, i) -> {
          boolean v = rs.getBoolean(i);
          return rs.wasNull() ? null : v;
        };
      case INTEGER:
        return (rs, i) -> {
          int v = rs.getInt(i);
          return rs.wasNull() ? null : v;
        };
      case LONG:
        return (rs, i) -> {
          long v = rs.getLong(i);
          return rs.wasNull() ? null : v;
        };
      case FLOAT:
        return (rs, i) -> {
          float v = rs.getFloat(i);
          return rs.wasNull() ? null : v;
        };
      case DOUBLE:
        return (rs, i) -> {
          double v = rs.getDouble(i);
          return rs.wasNull() ? null : v;
        };
      case DECIMAL:
        int scale = ((org.apache.iceberg.types.Types.DecimalType) lakeType).scale();
        return (rs, i) -> {
          BigDecimal v = rs.getBigDecimal(i);
          if (v == null) {
            return null;
          }
          try {
            return v.scale() == scale ? v : v.setScale(scale, RoundingMode.UNNECESSARY);
          } catch (ArithmeticException e) {
            throw new FanoutException("Column " + column + " holds " + v + ", which does not fit decimal scale " + scale + ".");
          }
        };
      case STRING:
        if (jdbcType == Types.BINARY && "uuid".equalsIgnoreCase(sourceType)) {
          return (rs, i) -> {
            Object v = rs.getObject(i);
            return v == null ? null : v.toString();
          };
        }
        return (rs, i) -> rs.getString(i);
      case DATE:
        return (rs, i) -> {
          LocalDate v = rs.getObject(i, LocalDate.class);
          // pgjdbc reads 'infinity' as LocalDate.MAX, whose day number overflowed the lake's int silently
          // (it landed as +466210-05-14)
          if (v != null && (v.isBefore(FIRST_DATE) || v.isAfter(LAST_DATE))) {
            throw beyondTheLake(column, rs.getString(i));
          }
          return v;
        };
      case TIME:
        // Read as text: MariaDB's TIME is a duration (-838:59:59 to 838:59:59) and its driver silently
        // wrapped values outside a day into one (-838:59:59 became 01:00:01).
        return (rs, i) -> {
          String text = rs.getString(i);
          return text == null ? null : timeOfDay(column, text);
        };
      case TIMESTAMP:
        if (((org.apache.iceberg.types.Types.TimestampType) lakeType).shouldAdjustToUTC()) {
          return (rs, i) -> {
            OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
            if (v != null && !inLake(v.toEpochSecond())) {
              throw beyondTheLake(column, rs.getString(i));
            }
            return v == null ? null : v.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
          };
        }
        if ("DATETIME".equalsIgnoreCase(sourceType)) {
          // MariaDB Connector/J 3.5.1 passes a DATETIME through this JVM's time zone, in getObject and
          // getString alike, so a wall-clock value in that zone's DST gap moved by an hour (2024-03-31 02:30
          // became 03:30 in Europe/Berlin). Read it against UTC, which has no gaps.
          return (rs, i) -> {
            LocalDateTime v = UtcTimes.wallClock(rs, i);
            return v == null ? null : v.truncatedTo(ChronoUnit.MICROS);
          };
        }
        return (rs, i) -> {
          LocalDateTime v = rs.getObject(i, LocalDateTime.class);
          if (v != null && !inLake(v.toEpochSecond(ZoneOffset.UTC))) {
            throw beyondTheLake(column, rs.getString(i));
          }
          return v == null ? null : v.truncatedTo(ChronoUnit.MICROS);
        };
      case BINARY:
        return (rs, i) -> {
          byte[] v = rs.getBytes(i);
          return v == null ? null : ByteBuffer.wrap(v);
        };
      default:
        throw new FanoutException("Column " + column + " has lake type " + lakeType + ", which Fanout cannot write.");
    }
  }

  /** PostgreSQL's 'infinity' (and its timestamps past the year 294247) have no lake date or timestamp. */
  private static boolean inLake(long epochSecond) {
    return epochSecond > Long.MIN_VALUE / 1_000_000L && epochSecond < Long.MAX_VALUE / 1_000_000L;
  }

  private static FanoutException beyondTheLake(String column, String text) {
    return new FanoutException("Column " + column + " holds " + text + ", beyond the dates a lake table holds;"
        + " import a view that turns it into NULL or a date.");
  }

  private static LocalTime timeOfDay(String column, String text) {
    try {
      return LocalTime.parse(text).truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      if (END_OF_DAY.matcher(text).matches()) {
        // PostgreSQL's 24:00:00 has no lake time; pgjdbc's reading of it, the last instant of the day
        return LocalTime.MAX.truncatedTo(ChronoUnit.MICROS);
      }
      throw new FanoutException("Column " + column + " holds " + text + ", which is not a time of day (00:00 to"
          + " 23:59:59.999999); import a view that casts it to a string.", e);
    }
  }
}
