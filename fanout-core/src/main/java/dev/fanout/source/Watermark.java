package dev.fanout.source;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.types.Type;

/**
 * Converts watermark values of an incremental column between the text stored in
 * {@code import_tables.incr_maxvalue} and the JDBC value bound in a query. Supported: integer and
 * decimal columns, dates and timestamps.
 */
public final class Watermark {
  private Watermark() {}

  public static boolean supports(Type type) {
    switch (type.typeId()) {
      case INTEGER:
      case LONG:
      case DECIMAL:
      case DATE:
      case TIMESTAMP:
        return true;
      default:
        return false;
    }
  }

  /** Reads the JDBC value of a MIN/MAX query column as a bindable, typed value. */
  public static Object read(java.sql.ResultSet rs, int index, Type type) throws java.sql.SQLException {
    switch (type.typeId()) {
      case INTEGER:
      case LONG:
        long l = rs.getLong(index);
        return rs.wasNull() ? null : l;
      case DECIMAL:
        return rs.getBigDecimal(index);
      case DATE:
        return rs.getObject(index, LocalDate.class);
      case TIMESTAMP:
        if (((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC()) {
          // MariaDB's driver gives this JVM's offset; the stored watermark reads the same on every host
          OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
          return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
        }
        // MariaDB's driver passes a DATETIME through this JVM's zone (a value in its DST gap moved by an
        // hour), so the next import's WHERE would not be the maximum it read; read it against UTC
        return "DATETIME".equalsIgnoreCase(rs.getMetaData().getColumnTypeName(index))
            ? UtcTimes.wallClock(rs, index) : rs.getObject(index, LocalDateTime.class);
      default:
        throw new IllegalArgumentException("not a watermark type: " + type);
    }
  }

  public static String format(Object value) {
    return value == null ? null : value.toString();
  }

  public static Object parse(String text, Type type) {
    if (text == null) {
      return null;
    }
    try {
      switch (type.typeId()) {
        case INTEGER:
        case LONG:
          return Long.parseLong(text);
        case DECIMAL:
          return new BigDecimal(text);
        case DATE:
          return LocalDate.parse(text);
        case TIMESTAMP:
          return ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC()
              ? OffsetDateTime.parse(text) : LocalDateTime.parse(text);
        default:
          throw new IllegalArgumentException(type.toString());
      }
    } catch (RuntimeException e) {
      throw new FanoutException("Stored watermark '" + text + "' is not a valid " + type + " value.", e);
    }
  }
}
