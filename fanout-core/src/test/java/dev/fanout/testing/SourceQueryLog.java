package dev.fanout.testing;

/**
 * MariaDB's own general query log, switched on for one test: how a test counts the statements that
 * reached the source database, independently of Fanout's code.
 */
public final class SourceQueryLog implements AutoCloseable {
  private final TestDatabase db;

  private SourceQueryLog(TestDatabase db) {
    this.db = db;
  }

  public static SourceQueryLog start(TestDatabase db) {
    db.execute("SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = 'ON'");
    return new SourceQueryLog(db);
  }

  /** Statements that read the rows of a table of this test's database (not counts or MIN/MAX probes). */
  public long dataReads(String table) {
    return dataReadStatements(table).size();
  }

  /** Those statements' text, oldest first (the MariaDB driver sends the bound values inline). */
  public java.util.List<String> dataReadStatements(String table) {
    String from = "FROM `" + db.schema() + "`.`" + table + "`";
    return db.query("SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log WHERE command_type = 'Query'"
        + " AND CONVERT(argument USING utf8mb4) LIKE 'SELECT `%' AND CONVERT(argument USING utf8mb4) LIKE '%"
        + from + "%' ORDER BY event_time").stream().map(r -> String.valueOf(r.get(0))).toList();
  }

  @Override
  public void close() {
    db.execute("SET GLOBAL general_log = 'OFF'");
  }
}
