package dev.fanout.source;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TimeAs;
import java.sql.Types;
import java.util.Locale;
import org.apache.iceberg.types.Type;

/**
 * Maps a source column to the Iceberg type it lands as. Exact where a lake type exists; anything else is
 * an error naming the column, at {@code table add}. The conversions Fanout settles on:
 * <ul>
 *   <li>Integers: MariaDB TINYINT, SMALLINT, MEDIUMINT and INT become int, BIGINT long; TINYINT UNSIGNED
 *       and MEDIUMINT UNSIGNED int, SMALLINT UNSIGNED and INT UNSIGNED long, BIGINT UNSIGNED decimal(20,0)
 *       (up to 18446744073709551615).</li>
 *   <li>Decimals up to precision 38 keep precision and scale. Wider ones are an error. NUMERIC without a
 *       precision (PostgreSQL, and H2, whose default precision is 100000) becomes a string of its exact
 *       decimal text, so no digit is lost. PostgreSQL 15's scale beyond the precision, numeric(3,5), lands
 *       as decimal(5,5); its negative scale, numeric(5,-2), as the integer decimal(7,0).</li>
 *   <li>Booleans: BOOLEAN, bool and BIT(1) become boolean. MariaDB's BOOLEAN is TINYINT(1), and its
 *       driver cannot tell the two apart: a value other than 0 or 1 in it fails the import naming the column
 *       (see {@link ValueReaders}), instead of landing as {@code true}.</li>
 *   <li>MariaDB BIT(n), n &gt; 1, becomes long (BIT(64) with its top bit set reads as a negative long with
 *       the same 64 bits); PostgreSQL bit(n) and bit varying become the string of their 0s and 1s.</li>
 *   <li>Text types become string, byte for byte as the source returns them (PostgreSQL and H2 pad CHAR(n)
 *       with spaces, MariaDB does not); JSON (MariaDB JSON as written, PostgreSQL json as written and jsonb
 *       as PostgreSQL prints it), ENUM, SET, UUID, INTERVAL, INET, XML, money (as PostgreSQL formats it),
 *       PostgreSQL's geometric built-ins, TIME WITH TIME ZONE and other textual types become strings.</li>
 *   <li>DATE becomes date (MariaDB's zero date 0000-00-00 becomes NULL, as its driver reads it); YEAR int.
 *       TIME becomes, as the table's {@link TimeAs} says, a string of the source's own text (the default:
 *       every engine reads it, and MariaDB's durations outside a day, -838:59:59 to 838:59:59, arrive as
 *       they are) or Iceberg's time at microseconds (Spark 3.5 refuses a table with one; a MariaDB TIME
 *       outside a day fails the import naming the column, and PostgreSQL's 24:00:00 lands as
 *       23:59:59.999999).</li>
 *   <li>Timestamps keep microseconds: DATETIME, timestamp and TIMESTAMP become timestamp (the wall-clock
 *       value, no time zone applied); PostgreSQL timestamptz, MariaDB TIMESTAMP and H2 TIMESTAMP WITH TIME
 *       ZONE are instants and become timestamptz, in UTC. PostgreSQL's 'infinity' and '-infinity' dates and
 *       timestamps have no lake value and fail the import naming the column.</li>
 *   <li>Binary types become binary, byte for byte (MariaDB BINARY(n) keeps its 0x00 padding). MariaDB's
 *       spatial types (GEOMETRY, POINT, ...) arrive as binary in MariaDB's own format: a 4-byte SRID, then
 *       the WKB; PostGIS and H2 geometries, and arrays, are errors.</li>
 * </ul>
 */
public final class LakeTypes {
  private static final int MAX_DECIMAL_PRECISION = 38;

  private LakeTypes() {}

  public static Type map(SourceDialect dialect, String table, SourceColumn c, TimeAs timeAs) {
    String name = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
    switch (c.jdbcType()) {
      case Types.BIT:
      case Types.BOOLEAN:
        if (c.precision() <= 1 || name.startsWith("bool")) {
          return org.apache.iceberg.types.Types.BooleanType.get();
        }
        // PostgreSQL's bit(n) is a bit string that getLong would read as a decimal number ('101' as 101)
        // or overflow on; its text keeps every bit, as for bit varying.
        return dialect == SourceDialect.POSTGRESQL ? org.apache.iceberg.types.Types.StringType.get()
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
        // pgjdbc reports money as DOUBLE, but its value is locale-formatted text ("$1,234.56") getDouble refuses
        return name.equals("money") ? org.apache.iceberg.types.Types.StringType.get()
            : org.apache.iceberg.types.Types.DoubleType.get();
      case Types.DECIMAL:
      case Types.NUMERIC:
        return decimal(dialect, table, c);
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
        return name.equals("timetz") || timeAs == TimeAs.STRING ? org.apache.iceberg.types.Types.StringType.get()
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

  private static Type decimal(SourceDialect dialect, String table, SourceColumn c) {
    int p = c.precision();
    int s = c.scale();
    if (p <= 0 || p > 1000) {
      // PostgreSQL numeric without a declared precision: carried as its exact decimal text.
      return org.apache.iceberg.types.Types.StringType.get();
    }
    if (dialect == SourceDialect.POSTGRESQL && s > 1000) {
      // PostgreSQL 15 allows scales from -1000 to 1000; pgjdbc reports a negative one as its 11-bit pattern
      // (numeric(5,-2) as scale 2046). Left as is, it became the impossible decimal(5,2046).
      s -= 2048;
    }
    String declared = c.typeName() + "(" + p + "," + s + ")";
    if (s < 0) {
      // numeric(5,-2) holds integers of up to 7 digits, rounded to hundreds
      p -= s;
      s = 0;
    } else if (s > p) {
      // numeric(3,5) holds only fractions below 10^-2, at most 5 digits; Parquet needs scale <= precision
      p = s;
    }
    if (p > MAX_DECIMAL_PRECISION) {
      throw new FanoutException("Column " + c.name() + " of " + table + " is " + declared + ", which needs " + p
          + " digits, wider than the 38 digits a lake decimal holds; narrow it at the source or import a view that casts it.");
    }
    return org.apache.iceberg.types.Types.DecimalType.of(p, s);
  }

  private static FanoutException unsupported(String table, SourceColumn c) {
    return new FanoutException("Column " + c.name() + " of " + table + " has type " + c.typeName()
        + ", which Fanout cannot carry; exclude it by importing a view without it, or cast it to text in a view.");
  }
}
