package dev.fanout.source;

import java.util.List;

/**
 * One read of a source table: which columns (in staged order, with their readers) from which table,
 * under which filter (the increment's range, or everything).
 */
public record TableRead(
    String displayName, String from, List<String> columns, List<ValueReader> readers, SqlFragment filter) {

  public TableRead {
    columns = List.copyOf(columns);
    readers = List.copyOf(readers);
  }

  public String select(SourceDialect dialect, SqlFragment split) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i)));
    }
    return sql.append(" FROM ").append(from).append(" WHERE ").append(filter.and(split).sql()).toString();
  }

  public String count(SqlFragment split) {
    return "SELECT COUNT(*) FROM " + from + " WHERE " + filter.and(split).sql();
  }
}
