package dev.fanout.spark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database on this machine's server (FANOUT_TEST_POSTGRES_URL, _USER, _PASSWORD; default
 * jdbc:postgresql://127.0.0.1:5432/postgres, postgres, no password), dropped at close. A database of its own, not
 * a schema: Iceberg's JdbcCatalog finds its tables in any schema of the database. Skipped with a SKIPPED line when
 * the server is not reachable, except under CI=true, where that fails the test.
 */
final class Postgres implements AutoCloseable {
  private static final String ADMIN = env("FANOUT_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
  final String user = env("FANOUT_TEST_POSTGRES_USER", "postgres");
  final String password = env("FANOUT_TEST_POSTGRES_PASSWORD", "");
  final String name = "fanout_s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  Postgres() {
    try (Connection c = DriverManager.getConnection(ADMIN, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      String message = "PostgreSQL is not reachable at " + ADMIN + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + "; under CI the database tests must run.", e);
      }
      System.err.println("SKIPPED: " + message + "; set the FANOUT_TEST_POSTGRES_* variables or start the server.");
      Assumptions.abort(message);
    }
  }

  /** The admin URL with this database in place of its own. */
  String url() {
    int slash = ADMIN.indexOf('/', "jdbc:postgresql://".length());
    int query = ADMIN.indexOf('?');
    return ADMIN.substring(0, slash + 1) + name + (query < 0 ? "" : ADMIN.substring(query));
  }

  void execute(String... statements) {
    try (Connection c = DriverManager.getConnection(url(), user, password); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(ADMIN, user, password); Statement s = c.createStatement()) {
      // FORCE: a catalog's pooled connection (Spark's, the launcher's) may still be open
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
