package dev.fanout.source;

import dev.fanout.FanoutException;
import java.sql.Types;
import java.util.Locale;
import org.apache.iceberg.types.Type;

/**
 * Maps a source column to the Iceberg type it lands as. Exact where a lake type exists; the documented
 * conversions are: JSON, ENUM, SET, UUID, INTERVAL, TIME WITH TIME ZONE and other textual types become
 * strings, NUMERIC without a precision becomes a string (no digit is lost), BIGINT UNSIGNED becomes
 * decimal(20,0) and INT UNSIGNED long. Anything else is an error naming the column.
 */
public final class LakeTypes {
  private static final int MAX_DECIMAL_PRECISION = 38;

  private LakeTypes() {}

  public static Type map(SourceDialect dialect, String table, SourceColumn c) {
    String name = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
    switch (c.jdbcType()) {
      case Types.BIT:
      case Types.BOOLEAN:
        return c.precision() <= 1 || name.startsWith("bool") ? org.apache.iceberg.types.Types.BooleanType.get()
            : org.apache.iceberg.types.Types.LongType.get();
      case Types.TINYINT:
      case Types.SMALLINT:
        return org.apache.iceberg.types.Types.IntegerType.get();
      case Types.INTEGER:
        return c.signed() || name.contains("medium") ? org.apache.iceberg.types.Types.IntegerType.get()
            : org.apache.iceberg.types.Types.LongType.get();
      case Types.BIGINT:
        // MariaDB reports INT UNSIGNED as BIGINT too; only BIGINT UNSIGNED outgrows a long
        return c.signed() || !name.contains("bigint") ? org.apache.iceberg.types.Types.LongType.get()
            : org.apache.iceberg.types.Types.DecimalType.of(20, 0);
      case Types.REAL:
        return org.apache.iceberg.types.Types.FloatType.get();
      case Types.FLOAT:
        return name.equals("float") || name.equals("float4") ? org.apache.iceberg.types.Types.FloatType.get()
            : org.apache.iceberg.types.Types.DoubleType.get();
      case Types.DOUBLE:
        return org.apache.iceberg.types.Types.DoubleType.get();
      case Types.DECIMAL:
      case Types.NUMERIC:
        return decimal(table, c);
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
      case Types.SQLXML:
        return org.apache.iceberg.types.Types.StringType.get();
      case Types.DATE:
        return name.equals("year") ? org.apache.iceberg.types.Types.IntegerType.get()
            : org.apache.iceberg.types.Types.DateType.get();
      case Types.TIME:
        return name.equals("timetz") ? org.apache.iceberg.types.Types.StringType.get()
            : org.apache.iceberg.types.Types.TimeType.get();
      case Types.TIME_WITH_TIMEZONE:
        return org.apache.iceberg.types.Types.StringType.get();
      case Types.TIMESTAMP:
        // PostgreSQL's timestamptz and MySQL's TIMESTAMP are instants; DATETIME and timestamp are local times.
        return name.equals("timestamptz") || (dialect == SourceDialect.MYSQL && name.equals("timestamp"))
            ? org.apache.iceberg.types.Types.TimestampType.withZone()
            : org.apache.iceberg.types.Types.TimestampType.withoutZone();
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return org.apache.iceberg.types.Types.TimestampType.withZone();
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return name.equals("uuid") ? org.apache.iceberg.types.Types.StringType.get()
            : org.apache.iceberg.types.Types.BinaryType.get();
      case Types.OTHER:
      case Types.JAVA_OBJECT:
        if (name.contains("geometry") || name.contains("geography")) {
          throw unsupported(table, c);
        }
        return org.apache.iceberg.types.Types.StringType.get();
      default:
        throw unsupported(table, c);
    }
  }

  private static Type decimal(String table, SourceColumn c) {
    int p = c.precision();
    int s = Math.max(0, c.scale());
    if (p <= 0 || p > 1000) {
      // PostgreSQL numeric without a declared precision: carried as its exact decimal text.
      return org.apache.iceberg.types.Types.StringType.get();
    }
    if (p > MAX_DECIMAL_PRECISION) {
      throw new FanoutException("Column " + c.name() + " of " + table + " is " + c.typeName() + "(" + p + "," + s
          + "), wider than the 38 digits a lake decimal holds; narrow it at the source or import a view that casts it.");
    }
    return org.apache.iceberg.types.Types.DecimalType.of(p, s);
  }

  private static FanoutException unsupported(String table, SourceColumn c) {
    return new FanoutException("Column " + c.name() + " of " + table + " has type " + c.typeName()
        + ", which Fanout cannot carry; exclude it by importing a view without it, or cast it to text in a view.");
  }
}
