package dev.fanout.spark;

import org.apache.spark.sql.jdbc.JdbcDialect;

/**
 * Spark 3.5 knows MySQL only by {@code jdbc:mysql:} URLs; for {@code jdbc:mariadb:} it falls back to a dialect
 * that quotes column names with double quotes, which MariaDB reads as string literals: every row would hold
 * the column's name instead of its value. This dialect quotes with backticks; types come from the job's
 * {@code customSchema}, so nothing else is needed.
 */
final class MariaDbDialect extends JdbcDialect {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean canHandle(String url) {
    return url.startsWith("jdbc:mariadb:");
  }

  @Override
  public String quoteIdentifier(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
