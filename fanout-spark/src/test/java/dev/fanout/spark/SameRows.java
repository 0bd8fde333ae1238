package dev.fanout.spark;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Rows in one canonical text, so that what Spark SQL reads from a lake table and what a query returns at the source
 * compare value by value, whatever order either returns them in (a multiset, as {@code fanout verify} compares): a
 * row is {@code name=value, ...} over the lake table's columns; integers of any width as one number, decimals by
 * value, floats as the float or double the lake holds, text quoted, binary as hex bytes, dates and wall-clock
 * timestamps as ISO text, instants in UTC. The source side reads each column as the lake type Spark reports for it,
 * so a value that arrived changed shows as a difference.
 */
final class SameRows {
  private SameRows() {}

  /** Spark's rows (read with spark.sql.datetime.java8API.enabled: LocalDate, LocalDateTime, Instant). */
  static List<List<String>> of(List<Row> rows, StructType schema) {
    List<List<String>> out = new ArrayList<>();
    for (Row row : rows) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < schema.fields().length; i++) {
        values.add(schema.fields()[i].name() + "=" + canonical(row.get(i)));
      }
      out.add(values);
    }
    return out;
  }

  /** The source's rows of {@code table}, its columns named as the lake schema's, each read as that lake type. */
  static List<List<String>> atSource(String url, String user, String password, String table, StructType schema) {
    boolean mariaDb = url.startsWith("jdbc:mariadb:");
    String quote = mariaDb ? "`" : "\"";
    String columns = java.util.Arrays.stream(schema.fields()).map(f -> quote + f.name() + quote)
        .collect(Collectors.joining(", "));
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      if (mariaDb) {
        // MariaDB's TIMESTAMP is an instant the server shows in the session's zone: UTC here, read back as such
        s.execute("SET time_zone = '+00:00'");
      }
      // the lake has the source's columns, in its order (a column added at the source shows here, or fails)
      List<String> sourceColumns = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          sourceColumns.add(rs.getMetaData().getColumnLabel(i));
        }
      }
      if (!sourceColumns.equals(List.of(schema.fieldNames()))) {
        throw new AssertionError("the lake table has the columns " + List.of(schema.fieldNames()) + ", its source "
            + table + " " + sourceColumns);
      }
      List<List<String>> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + table)) {
        while (rs.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            values.add(f.name() + "=" + canonical(read(rs, i + 1, f.dataType(), mariaDb)));
          }
          out.add(values);
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("Reading " + table + " at " + url + " failed: " + e.getMessage(), e);
    }
  }

  private static Object read(ResultSet rs, int i, DataType type, boolean mariaDb) throws SQLException {
    Object v;
    if (type instanceof BooleanType) {
      v = rs.getBoolean(i);
    } else if (type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType
        || type instanceof LongType) {
      v = rs.getLong(i);
    } else if (type instanceof DecimalType) {
      v = rs.getBigDecimal(i);
    } else if (type instanceof FloatType) {
      v = rs.getFloat(i);
    } else if (type instanceof DoubleType) {
      v = rs.getDouble(i);
    } else if (type instanceof StringType) {
      v = rs.getString(i);
    } else if (type instanceof BinaryType) {
      v = rs.getBytes(i);
    } else if (type instanceof DateType) {
      v = rs.getObject(i, LocalDate.class);
    } else if (type instanceof TimestampNTZType) {
      v = rs.getObject(i, LocalDateTime.class);
    } else if (type instanceof TimestampType) {
      if (mariaDb) {
        LocalDateTime utc = rs.getObject(i, LocalDateTime.class);
        v = utc == null ? null : utc.toInstant(ZoneOffset.UTC);
      } else {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        v = t == null ? null : t.toInstant();
      }
    } else {
      throw new AssertionError("no canonical form for the lake type " + type + " yet: add one to SameRows");
    }
    return rs.wasNull() ? null : v;
  }

  static String canonical(Object v) {
    if (v == null) {
      return "NULL";
    } else if (v instanceof BigDecimal d) {
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    } else if (v instanceof Float f) {
      return "float " + f;
    } else if (v instanceof Double d) {
      return "double " + d;
    } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return Long.toString(((Number) v).longValue());
    } else if (v instanceof byte[] b) {
      return "0x" + HexFormat.of().withUpperCase().formatHex(b);
    } else if (v instanceof String s) {
      return "'" + s + "'";
    } else if (v instanceof Boolean || v instanceof LocalDate || v instanceof LocalDateTime || v instanceof Instant) {
      return v.toString();
    }
    throw new AssertionError("no canonical form for " + v.getClass().getName() + " " + v);
  }

  /** The first rows, each cut at 2000 characters (a row of every type holds a 70 000-byte blob). */
  private static String shown(List<String> rows) {
    return rows.stream().limit(5).map(r -> r.length() > 2000 ? r.substring(0, 2000) + "..." : r)
        .collect(Collectors.joining("\n    "));
  }

  static String line(List<String> row) {
    return String.join(", ", row);
  }

  /**
   * Spark's rows of {@code table} are the expected rows as a multiset; otherwise an error saying how many rows
   * each side has and the first rows only one side holds.
   */
  static void assertSame(String table, List<String> spark, List<String> expected, String expectedWhat) {
    if (expected.isEmpty()) {
      throw new AssertionError(table + ": " + expectedWhat + " returned no rows, which proves nothing");
    }
    Map<String, Integer> balance = new HashMap<>();
    spark.forEach(r -> balance.merge(r, 1, Integer::sum));
    expected.forEach(r -> balance.merge(r, -1, Integer::sum));
    List<String> notRead = balance.entrySet().stream().filter(e -> e.getValue() < 0).map(Map.Entry::getKey).sorted().toList();
    List<String> extra = balance.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).sorted().toList();
    if (!notRead.isEmpty() || !extra.isEmpty()) {
      throw new AssertionError(String.format("%s: Spark SQL read %d rows, %s %d; %d rows of the source not read by"
              + " Spark, %d rows read that the source does not hold.%n  not read, e.g.:%n    %s%n  read but not at"
              + " the source, e.g.:%n    %s", table, spark.size(), expectedWhat, expected.size(), notRead.size(),
          extra.size(), shown(notRead), shown(extra)));
    }
    System.out.printf("%s: Spark SQL read %d rows, equal to %s%n", table, spark.size(), expectedWhat);
  }
}
