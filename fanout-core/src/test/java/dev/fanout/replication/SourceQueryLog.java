package dev.fanout.replication;

import dev.fanout.testing.TestDatabase;

/**
 * MariaDB's own general query log, switched on for one test: how a test counts the statements that
 * reached the source database, independently of Fanout's code.
 */
final class SourceQueryLog implements AutoCloseable {
  private final TestDatabase db;

  private SourceQueryLog(TestDatabase db) {
    this.db = db;
  }

  static SourceQueryLog start(TestDatabase db) {
    db.execute("SET GLOBAL log_output = 'TABLE'", "SET GLOBAL general_log = 'ON'");
    return new SourceQueryLog(db);
  }

  /** Statements that read the rows of a table of this test's database (not counts or MIN/MAX probes). */
  long dataReads(String table) {
    String from = "FROM `" + db.schema() + "`.`" + table + "`";
    return ((Number) db.query("SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query'"
        + " AND CONVERT(argument USING utf8mb4) LIKE 'SELECT `%' AND CONVERT(argument USING utf8mb4) LIKE '%"
        + from.replace("`", "``").replace("``", "`") + "%'").get(0).get(0)).longValue();
  }

  @Override
  public void close() {
    db.execute("SET GLOBAL general_log = 'OFF'");
  }
}
