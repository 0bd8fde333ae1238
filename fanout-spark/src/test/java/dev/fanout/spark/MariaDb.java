package dev.fanout.spark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh MariaDB database on this machine's server (FANOUT_TEST_MARIADB_URL, _USER, _PASSWORD; default
 * 127.0.0.1:3306, root, no password), dropped at close. Skipped with a SKIPPED line when the server is not
 * reachable, except under CI=true, where that fails the test.
 */
final class MariaDb implements AutoCloseable {
  private static final String BASE = env("FANOUT_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306");
  final String user = env("FANOUT_TEST_MARIADB_USER", "root");
  final String password = env("FANOUT_TEST_MARIADB_PASSWORD", "");
  final String name = "fanout_s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  MariaDb() {
    try (Connection c = DriverManager.getConnection(BASE + "/", user, password); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (SQLException e) {
      String message = "MariaDB is not reachable at " + BASE + " (" + e.getMessage() + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + "; under CI the database tests must run.", e);
      }
      System.err.println("SKIPPED: " + message + "; set the FANOUT_TEST_MARIADB_* variables or start the server.");
      Assumptions.abort(message);
    }
  }

  String url() {
    return BASE + "/" + name;
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
    try (Connection c = DriverManager.getConnection(BASE + "/", user, password); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
