package dev.fanout.stage;

import dev.fanout.failure.FanoutException;
import dev.fanout.source.SourceDialect;
import dev.fanout.source.SqlFragment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns a {@link SqlFragment} into SQL with its parameters written as literals, for a reader that takes no
 * bound parameters (Spark's JDBC predicates). Only the values a split or increment bound holds are allowed
 * (integers, decimals, dates and timestamps), each printed in a form that cannot be anything but that value,
 * so no text from anywhere reaches the SQL.
 */
final class SqlLiterals {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private SqlLiterals() {}

  static String inline(SqlFragment fragment, SourceDialect dialect) {
    String sql = fragment.sql();
    StringBuilder out = new StringBuilder(sql.length() + 32 * fragment.params().size());
    int next = 0;
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char ch = sql.charAt(i);
      if (quote != 0) {
        // inside a quoted identifier or string; a doubled quote is an escaped one and toggles twice
        if (ch == quote) {
          quote = 0;
        }
        out.append(ch);
      } else if (ch == '\'' || ch == '"' || ch == '`') {
        quote = ch;
        out.append(ch);
      } else if (ch == '?') {
        if (next >= fragment.params().size()) {
          throw new IllegalStateException("more placeholders than parameters in " + sql);
        }
        out.append(literal(fragment.params().get(next++), dialect));
      } else {
        out.append(ch);
      }
    }
    if (next != fragment.params().size()) {
      throw new IllegalStateException("more parameters than placeholders in " + sql);
    }
    return out.toString();
  }

  static String literal(Object value, SourceDialect dialect) {
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return value.toString();
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof LocalDate d) {
      requireWritableYear(d.getYear(), value);
      return "DATE '" + DATE.format(d) + "'";
    }
    if (value instanceof LocalDateTime t) {
      requireWritableYear(t.getYear(), value);
      return "TIMESTAMP '" + TIMESTAMP.format(t) + "'";
    }
    if (value instanceof OffsetDateTime t) {
      LocalDateTime utc = t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      requireWritableYear(utc.getYear(), value);
      // MariaDB/MySQL sessions of Fanout run in UTC, so a zone-less literal is the UTC instant there
      return dialect == SourceDialect.MYSQL ? "TIMESTAMP '" + TIMESTAMP.format(utc) + "'"
          : "TIMESTAMP WITH TIME ZONE '" + TIMESTAMP.format(utc) + "+00:00'";
    }
    throw new FanoutException("A split or increment bound of type " + (value == null ? "null" : value.getClass().getSimpleName())
        + " cannot be given to the Spark engine as a literal; stage this table with --engine local.");
  }

  private static void requireWritableYear(int year, Object value) {
    if (year < 1 || year > 9999) {
      throw new FanoutException("The split or increment bound " + value + " has no SQL literal (years 1 to 9999);"
          + " stage this table with --engine local.");
    }
  }
}
