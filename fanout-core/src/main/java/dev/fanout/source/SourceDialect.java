package dev.fanout.source;

import dev.fanout.jdbc.JdbcUrls;

import dev.fanout.failure.FanoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between source databases: how identifiers are quoted, whether "schema" means a JDBC
 * catalog or a schema, and how a statement streams rows instead of buffering them.
 */
public enum SourceDialect {
  MYSQL('`', true) {
    @Override
    public void prepareStreaming(Connection c, Statement s, int fetchSize) throws SQLException {
      // MySQL Connector/J streams only with MIN_VALUE; MariaDB Connector/J streams with any fetch size.
      s.setFetchSize(c.getMetaData().getDriverName().startsWith("MySQL") ? Integer.MIN_VALUE : fetchSize);
    }
  },
  POSTGRESQL('"', false) {
    @Override
    public void prepareStreaming(Connection c, Statement s, int fetchSize) throws SQLException {
      // pgjdbc uses a cursor only outside autocommit.
      c.setAutoCommit(false);
      s.setFetchSize(fetchSize);
    }
  },
  H2('"', false) {
    @Override
    public void prepareStreaming(Connection c, Statement s, int fetchSize) throws SQLException {
      s.setFetchSize(fetchSize);
    }
  };

  private static final int MAX_IDENTIFIER = 256;
  private final char quote;
  private final boolean schemaIsCatalog;

  SourceDialect(char quote, boolean schemaIsCatalog) {
    this.quote = quote;
    this.schemaIsCatalog = schemaIsCatalog;
  }

  public abstract void prepareStreaming(Connection c, Statement s, int fetchSize) throws SQLException;

  /** True where a JDBC "catalog" is what users call the schema (MySQL and MariaDB databases). */
  public boolean schemaIsCatalog() {
    return schemaIsCatalog;
  }

  public static SourceDialect forUrl(String url) {
    if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
      return MYSQL;
    } else if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    } else if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    throw new FanoutException("JDBC URL '" + JdbcUrls.redact(url)
        + "' is not supported; use jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql: or jdbc:h2:.");
  }

  /** Quotes one identifier from configuration; never pastes it raw into SQL. */
  public String quote(String identifier) {
    if (identifier == null || identifier.isEmpty() || identifier.length() > MAX_IDENTIFIER
        || identifier.indexOf('\0') >= 0) {
      throw new FanoutException("'" + identifier + "' is not a valid identifier.");
    }
    String q = String.valueOf(quote);
    return q + identifier.replace(q, q + q) + q;
  }

  public String qualified(String schema, String table) {
    return schema == null || schema.isEmpty() ? quote(table) : quote(schema) + "." + quote(table);
  }
}
