package dev.fanout.source;

import dev.fanout.jdbc.SqlErrors;

import dev.fanout.jdbc.JdbcUrls;

import dev.fanout.failure.FanoutException;
import dev.fanout.security.Credentials;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens JDBC sessions to one source. Each failure a user can cause (bad URL, unknown host, wrong
 * password) becomes one sentence naming the connection.
 */
public final class SourceSessions {
  private final String alias;
  private final String url;
  private final Credentials credentials;
  private final SourceDialect dialect;

  public SourceSessions(String alias, String url, Credentials credentials) {
    this.alias = alias;
    this.url = url;
    this.credentials = credentials;
    this.dialect = SourceDialect.forUrl(url);
  }

  public SourceDialect dialect() {
    return dialect;
  }

  public String alias() {
    return alias;
  }

  /** The source's JDBC URL; it may hold credentials, so print only {@link JdbcUrls#redact}. */
  public String url() {
    return url;
  }

  public Connection open() {
    try {
      DriverManager.setLoginTimeout(10);
      Connection c = DriverManager.getConnection(url, connectionProperties());
      c.setReadOnly(true);
      return c;
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * The driver properties of every session: credentials, time-outs and the time-zone settings that keep
   * values as the source holds them. A stage engine in another process (Spark) opens its sessions with
   * these too; they hold the password, so never print or log them.
   */
  public Properties connectionProperties() {
    Properties props = new Properties();
    if (!credentials.user().isEmpty()) {
      props.setProperty("user", credentials.user());
    }
    props.setProperty("password", credentials.password());
    props.setProperty("connectTimeout", dialect == SourceDialect.POSTGRESQL ? "10" : "10000");
    if (dialect == SourceDialect.POSTGRESQL) {
      props.setProperty("ApplicationName", "fanout");
    }
    if (dialect == SourceDialect.MYSQL) {
      // TIMESTAMP columns are instants: the session and the driver agree on UTC, so no host's zone moves them
      defaultProperty(props, "connectionTimeZone", "UTC");
      defaultProperty(props, "forceConnectionTimeZoneToSession", "true");
      defaultProperty(props, "preserveInstants", "true");
    }
    if (dialect == SourceDialect.H2) {
      // A source is never created by reading it.
      props.setProperty("IFEXISTS", "TRUE");
    }
    return props;
  }

  /** Sets a driver property unless the connection's URL chose a value itself. */
  private void defaultProperty(Properties props, String key, String value) {
    if (!url.contains(key + "=")) {
      props.setProperty(key, value);
    }
  }

  private FanoutException translate(SQLException e) {
    String safeUrl = JdbcUrls.redact(url);
    if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
      return new FanoutException("Connection '" + alias + "' has a JDBC URL no driver accepts: " + safeUrl + ".", e);
    }
    if (SqlErrors.isAuthenticationFailure(e)) {
      return new FanoutException("Connection '" + alias + "' was refused: wrong user or password for " + safeUrl
          + "; store new ones with 'fanout connection add'.", e);
    }
    if (hasCause(e, UnknownHostException.class) || hasCause(e, ConnectException.class)
        || "08001".equals(e.getSQLState()) || "08S01".equals(e.getSQLState())) {
      return new FanoutException("Connection '" + alias + "' cannot reach " + safeUrl + ": " + SqlErrors.describe(e)
          + ".", e);
    }
    return new FanoutException("Connection '" + alias + "' failed to open " + safeUrl + ": " + SqlErrors.describe(e)
        + ".", e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
