package dev.fanout.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh, empty database (a MariaDB database, a PostgreSQL schema or an H2 file) for one test, on the
 * real servers of this machine. Addresses come from environment variables with the local defaults:
 * FANOUT_TEST_MARIADB_URL (jdbc:mariadb://127.0.0.1:3306), FANOUT_TEST_MARIADB_USER (root),
 * FANOUT_TEST_MARIADB_PASSWORD (empty), FANOUT_TEST_POSTGRES_URL (jdbc:postgresql://127.0.0.1:5432/postgres),
 * FANOUT_TEST_POSTGRES_USER (postgres), FANOUT_TEST_POSTGRES_PASSWORD (empty). Where a server is not
 * reachable the test is skipped with a message, except under CI (CI=true), where it fails.
 */
public final class TestDatabase implements AutoCloseable {
  public enum Kind { MARIADB, POSTGRES, H2 }

  private final Kind kind;
  private final String name;
  private final String url;
  private final String user;
  private final String password;
  private final String adminUrl;

  private TestDatabase(Kind kind, String name, String url, String user, String password, String adminUrl) {
    this.kind = kind;
    this.name = name;
    this.url = url;
    this.user = user;
    this.password = password;
    this.adminUrl = adminUrl;
  }

  public static TestDatabase create(Kind kind, java.nio.file.Path scratch) {
    String name = "fanout_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    switch (kind) {
      case MARIADB: {
        String base = env("FANOUT_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306");
        String user = env("FANOUT_TEST_MARIADB_USER", "root");
        String password = env("FANOUT_TEST_MARIADB_PASSWORD", "");
        requireReachable(kind, base + "/", user, password);
        admin(base + "/", user, password, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return new TestDatabase(kind, name, base + "/" + name, user, password, base + "/");
      }
      case POSTGRES: {
        String base = env("FANOUT_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = env("FANOUT_TEST_POSTGRES_USER", "postgres");
        String password = env("FANOUT_TEST_POSTGRES_PASSWORD", "");
        requireReachable(kind, base, user, password);
        // A database of its own, not only a schema: Iceberg's JDBC catalog looks for its tables in every
        // schema of the database, so a schema left behind by a killed run would break the next one.
        admin(base, user, password, "CREATE DATABASE " + name);
        String own = withDatabase(base, name);
        admin(own, user, password, "CREATE SCHEMA " + name);
        String sep = own.contains("?") ? "&" : "?";
        return new TestDatabase(kind, name, own + sep + "currentSchema=" + name, user, password, base);
      }
      default: {
        String url = "jdbc:h2:file:" + scratch.resolve(name).toAbsolutePath() + ";AUTO_SERVER=TRUE";
        return new TestDatabase(kind, name.toUpperCase(), url, "sa", "", null);
      }
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The schema a source table lives in: the database (MariaDB), the schema (PostgreSQL) or PUBLIC (H2). */
  public String schema() {
    return kind == Kind.H2 ? "PUBLIC" : name;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  public void execute(String... statements) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<List<Object>> query(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rows(rs);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<List<Object>> rows(ResultSet rs) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
      rows.add(row);
    }
    return rows;
  }

  public long count(String table) {
    return ((Number) query("SELECT COUNT(*) FROM " + table).get(0).get(0)).longValue();
  }

  @Override
  public void close() {
    if (kind == Kind.MARIADB) {
      admin(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name);
    } else if (kind == Kind.POSTGRES) {
      admin(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /** The same PostgreSQL URL pointing at another database: jdbc:postgresql://host:port/db?params. */
  private static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String head = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    return head.substring(0, head.lastIndexOf('/') + 1) + database + params;
  }

  private static void admin(String url, String user, String password, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static void requireReachable(Kind kind, String url, String user, String password) {
    try (Connection ignored = DriverManager.getConnection(url, user, password)) {
      // reachable
    } catch (SQLException e) {
      String message = kind + " is not reachable at " + url + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + "; under CI the database tests must run.", e);
      }
      System.err.println("SKIPPED: " + message + "; set the FANOUT_TEST_* variables or start the server.");
      Assumptions.abort(message);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }

  /** Plain JDBC access to a database Fanout itself manages (an instance's embedded metadata), for inspection. */
  public static final class Raw implements AutoCloseable {
    private final Connection connection;

    private Raw(Connection connection) {
      this.connection = connection;
    }

    /** The embedded metadata database of the home at {@code home}, with the credentials kept in that home. */
    public static Raw metadataOf(java.nio.file.Path home) throws SQLException {
      var credentials = new dev.fanout.config.FanoutHome(home).metadataCredentials();
      return new Raw(DriverManager.getConnection(
          dev.fanout.metadata.MetadataDatabase.normalizeUrl(dev.fanout.metadata.EmbeddedH2.url(home)),
          credentials.user(), credentials.password()));
    }

    public List<List<Object>> query(String sql) throws SQLException {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        return rows(rs);
      }
    }

    public int update(String sql) throws SQLException {
      try (Statement s = connection.createStatement()) {
        return s.executeUpdate(sql);
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
