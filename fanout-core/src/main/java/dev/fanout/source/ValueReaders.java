package dev.fanout.source;

import dev.fanout.FanoutException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.apache.iceberg.types.Type;

/**
 * The reader for each lake type. Primitive getters with {@code wasNull} avoid boxing twice on the hot
 * path; temporal values are read as java.time objects so no time zone of this JVM is applied.
 */
public final class ValueReaders {
  private ValueReaders() {}

  public static ValueReader forColumn(String column, int jdbcType, String sourceType, Type lakeType) {
    switch (lakeType.typeId()) {
      case BOOLEAN:
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
        return (rs, i) -> rs.getObject(i, LocalDate.class);
      case TIME:
        return (rs, i) -> {
          LocalTime v = rs.getObject(i, LocalTime.class);
          return v == null ? null : v.truncatedTo(ChronoUnit.MICROS);
        };
      case TIMESTAMP:
        if (((org.apache.iceberg.types.Types.TimestampType) lakeType).shouldAdjustToUTC()) {
          return (rs, i) -> {
            OffsetDateTime v = rs.getObject(i, OffsetDateTime.class);
            return v == null ? null : v.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
          };
        }
        return (rs, i) -> {
          LocalDateTime v = rs.getObject(i, LocalDateTime.class);
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
}
