package dev.fanout.source;

import dev.fanout.jdbc.SqlErrors;

import dev.fanout.failure.FanoutException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what a source table looks like: its exact name (matched case-insensitively when the exact case
 * is not there), its columns as a query reports them, and its primary key.
 */
public final class SourceInspector {
  private static final String[] TABLE_TYPES = {"TABLE", "VIEW", "BASE TABLE", "PARTITIONED TABLE"};
  private final SourceSessions sessions;

  public SourceInspector(SourceSessions sessions) {
    this.sessions = sessions;
  }

  public SourceTable describe(String schema, String table) {
    try (Connection c = sessions.open()) {
      return describe(c, schema, table);
    } catch (SQLException e) {
      throw new FanoutException("Cannot read the description of " + name(schema, table) + " from connection '"
          + sessions.alias() + "': " + SqlErrors.describe(e), e);
    }
  }

  /** The tables of one schema, by exact name. */
  public List<String> tables(String schema) {
    try (Connection c = sessions.open()) {
      String exactSchema = resolveSchema(c, schema)
          .orElseThrow(() -> new FanoutException("Schema '" + schema + "' does not exist in connection '"
              + sessions.alias() + "'."));
      List<String> out = new ArrayList<>();
      try (ResultSet rs = tablesIn(c.getMetaData(), exactSchema, "%")) {
        while (rs.next()) {
          out.add(rs.getString("TABLE_NAME"));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new FanoutException("Cannot list the tables of schema '" + schema + "' in connection '"
          + sessions.alias() + "': " + SqlErrors.describe(e), e);
    }
  }

  SourceTable describe(Connection c, String schema, String table) throws SQLException {
    String exactSchema = schema == null ? null : resolveSchema(c, schema).orElseThrow(() -> missing(schema, table));
    String exactTable = resolveTable(c, exactSchema, table).orElseThrow(() -> missing(schema, table));
    if (exactSchema == null) {
      refuseAmbiguous(c, exactTable);
    }
    Map<String, Integer> pk = primaryKey(c.getMetaData(), exactSchema, exactTable);
    SourceDialect dialect = sessions.dialect();
    List<SourceColumn> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + dialect.qualified(exactSchema, exactTable) + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnName(i);
        columns.add(new SourceColumn(name, md.getColumnType(i), md.getColumnTypeName(i), md.getPrecision(i),
            md.getScale(i), md.isSigned(i), pk.getOrDefault(name, 0)));
      }
    }
    return new SourceTable(exactSchema, exactTable, columns);
  }

  /**
   * A table named without its schema must be the only one of that name: PostgreSQL lists the tables of
   * every schema, and the read would take whichever the search path finds first.
   */
  private void refuseAmbiguous(Connection c, String table) throws SQLException {
    if (sessions.dialect().schemaIsCatalog()) {
      return; // MariaDB: the URL's database is the schema
    }
    java.util.SortedSet<String> schemas = new java.util.TreeSet<>();
    try (ResultSet rs = tablesIn(c.getMetaData(), null, table)) {
      while (rs.next()) {
        if (table.equals(rs.getString("TABLE_NAME"))) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
    }
    if (schemas.size() > 1) {
      throw new FanoutException("Source table " + table + " exists in schemas " + String.join(" and ", schemas)
          + " of connection '" + sessions.alias() + "'; name it with its schema, such as " + schemas.first() + "."
          + table + ".");
    }
  }

  private FanoutException missing(String schema, String table) {
    return new FanoutException("Source table " + name(schema, table) + " does not exist in connection '"
        + sessions.alias() + "'.");
  }

  private static String name(String schema, String table) {
    return schema == null ? table : schema + "." + table;
  }

  private Optional<String> resolveSchema(Connection c, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    DatabaseMetaData md = c.getMetaData();
    try (ResultSet rs = sessions.dialect().schemaIsCatalog() ? md.getCatalogs() : md.getSchemas()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return pick(names, schema);
  }

  private Optional<String> resolveTable(Connection c, String schema, String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = tablesIn(c.getMetaData(), schema, "%")) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    return pick(names, table);
  }

  private ResultSet tablesIn(DatabaseMetaData md, String schema, String pattern) throws SQLException {
    return sessions.dialect().schemaIsCatalog()
        ? md.getTables(schema, null, pattern, TABLE_TYPES)
        : md.getTables(null, schema, pattern, TABLE_TYPES);
  }

  private Map<String, Integer> primaryKey(DatabaseMetaData md, String schema, String table) throws SQLException {
    Map<String, Integer> pk = new HashMap<>();
    try (ResultSet rs = sessions.dialect().schemaIsCatalog()
        ? md.getPrimaryKeys(schema, null, table) : md.getPrimaryKeys(null, schema, table)) {
      while (rs.next()) {
        pk.put(rs.getString("COLUMN_NAME"), rs.getInt("KEY_SEQ"));
      }
    }
    return pk;
  }

  /** The exact name if present, else the one name that matches ignoring case. */
  private static Optional<String> pick(List<String> names, String wanted) {
    if (names.contains(wanted)) {
      return Optional.of(wanted);
    }
    List<String> folded = names.stream().filter(n -> n.equalsIgnoreCase(wanted)).toList();
    return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
  }
}
