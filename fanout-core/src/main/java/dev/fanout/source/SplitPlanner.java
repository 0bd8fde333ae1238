package dev.fanout.source;

import dev.fanout.failure.FanoutException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Type;

/**
 * Cuts a read into N ranges of a numeric or date column, from the column's MIN and MAX under the read's
 * filter. Ranges are half-open except the last; the first also takes the rows where the column is NULL,
 * so together they cover every row exactly once.
 */
public final class SplitPlanner {
  private final SourceDialect dialect;

  public SplitPlanner(SourceDialect dialect) {
    this.dialect = dialect;
  }

  public static boolean canSplitOn(Type type) {
    return Watermark.supports(type);
  }

  public List<SqlFragment> plan(Connection c, String table, String from, SqlFragment filter, String column, Type type,
      int sessions) throws SQLException {
    if (!canSplitOn(type)) {
      throw new FanoutException("Split column " + column + " of " + table + " is " + type
          + "; choose a numeric or date column with --split-by.");
    }
    if (sessions <= 1) {
      return List.of(SqlFragment.TRUE);
    }
    String col = dialect.quote(column);
    Object min;
    Object max;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MIN(" + col + "), MAX(" + col + ") FROM " + from + " WHERE " + filter.sql())) {
      filter.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        min = Watermark.read(rs, 1, type);
        max = Watermark.read(rs, 2, type);
      }
    }
    if (min == null || min.equals(max)) {
      return List.of(SqlFragment.TRUE);
    }
    List<Object> bounds = boundaries(min, max, sessions);
    List<SqlFragment> splits = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.size(); i++) {
      boolean last = i + 2 == bounds.size();
      String sql = col + " >= ? AND " + col + (last ? " <= ?" : " < ?");
      if (i == 0) {
        sql = "(" + sql + ") OR " + col + " IS NULL";
      }
      splits.add(SqlFragment.of(sql, bounds.get(i), bounds.get(i + 1)));
    }
    return splits;
  }

  /** n+1 increasing boundaries from min to max, fewer when the range has fewer distinct steps. */
  private static List<Object> boundaries(Object min, Object max, int n) {
    List<Object> out = new ArrayList<>();
    if (min instanceof Long lo) {
      long hi = (Long) max;
      BigDecimal span = BigDecimal.valueOf(hi).subtract(BigDecimal.valueOf(lo));
      int parts = (int) Math.min(n, span.longValue());
      for (int i = 0; i < parts; i++) {
        out.add(BigDecimal.valueOf(lo).add(span.multiply(BigDecimal.valueOf(i)).divideToIntegralValue(BigDecimal.valueOf(parts))).longValueExact());
      }
      out.add(hi);
    } else if (min instanceof BigDecimal lo) {
      BigDecimal span = ((BigDecimal) max).subtract(lo);
      for (int i = 0; i < n; i++) {
        out.add(lo.add(span.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n), MathContext.DECIMAL128)));
      }
      out.add(max);
    } else if (min instanceof LocalDate lo) {
      long days = ChronoUnit.DAYS.between(lo, (LocalDate) max);
      int parts = (int) Math.min(n, days);
      for (int i = 0; i < parts; i++) {
        out.add(lo.plusDays(days * i / parts));
      }
      out.add(max);
    } else if (min instanceof LocalDateTime lo) {
      long micros = ChronoUnit.MICROS.between(lo, (LocalDateTime) max);
      for (int i = 0; i < n; i++) {
        out.add(lo.plus(micros / n * i, ChronoUnit.MICROS));
      }
      out.add(max);
    } else if (min instanceof OffsetDateTime lo) {
      OffsetDateTime loUtc = lo.withOffsetSameInstant(ZoneOffset.UTC);
      long micros = ChronoUnit.MICROS.between(loUtc, (OffsetDateTime) max);
      for (int i = 0; i < n; i++) {
        out.add(loUtc.plus(micros / n * i, ChronoUnit.MICROS));
      }
      out.add(max);
    }
    return out;
  }
}
