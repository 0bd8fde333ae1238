package dev.fanout.demo;

import dev.fanout.failure.FanoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded H2 "shop" database for {@code fanout demo}: products, customers, orders (1.2M rows) and
 * payments, related by keys, with decimals, timestamps, Unicode text and NULLs. Each later call adds a
 * batch of new orders, so the incremental import of orders has something to read.
 */
public final class DemoSource {
  public static final String SCHEMA = "SHOP";
  static final int ORDERS = 1_200_000;
  static final int NEW_ORDERS_PER_RUN = 5_000;

  private final Path dir;

  public DemoSource(Path dir) {
    this.dir = dir;
  }

  public String jdbcUrl() {
    return "jdbc:h2:file:" + dir.resolve("shop");
  }

  /** Creates the database on first use; otherwise adds new orders. Returns true when it was created. */
  public boolean prepare() {
    boolean create = !Files.exists(dir.resolve("shop.mv.db"));
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "sa", ""); Statement s = c.createStatement()) {
      if (create) {
        create(s);
      } else {
        addOrders(s);
      }
      return create;
    } catch (SQLException e) {
      throw new FanoutException("Cannot prepare the demo source in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void create(Statement s) throws SQLException {
    s.execute("CREATE SCHEMA IF NOT EXISTS SHOP");
    s.execute("CREATE TABLE SHOP.PRODUCTS (ID INT PRIMARY KEY, NAME VARCHAR(200) NOT NULL, CATEGORY VARCHAR(40),"
        + " PRICE DECIMAL(10,2) NOT NULL, ACTIVE BOOLEAN NOT NULL, ADDED_ON DATE)");
    s.execute("INSERT INTO SHOP.PRODUCTS SELECT X, 'Product ' || X || CASE WHEN MOD(X, 7) = 0 THEN ' ☕' ELSE '' END,"
        + " CASE MOD(X, 4) WHEN 0 THEN 'books' WHEN 1 THEN 'garden' WHEN 2 THEN 'kitchen' ELSE NULL END,"
        + " CAST(1 + MOD(X * 37, 50000) / 100.0 AS DECIMAL(10,2)), MOD(X, 10) <> 0,"
        + " DATEADD('DAY', -MOD(X, 1500), DATE '2026-11-01') FROM SYSTEM_RANGE(1, 2000)");
    s.execute("CREATE TABLE SHOP.CUSTOMERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(200) NOT NULL, EMAIL VARCHAR(200),"
        + " COUNTRY CHAR(2), CREATED_AT TIMESTAMP(6) NOT NULL, UPDATED_AT TIMESTAMP(6) NOT NULL)");
    s.execute("INSERT INTO SHOP.CUSTOMERS SELECT X, CASE MOD(X, 5) WHEN 0 THEN 'Zoë Ångström ' ELSE 'Customer ' END || X,"
        + " CASE WHEN MOD(X, 9) = 0 THEN NULL ELSE 'c' || X || '@example.com' END,"
        + " CASE MOD(X, 3) WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' ELSE 'SE' END,"
        + " DATEADD('SECOND', -X * 613, TIMESTAMP '2026-11-01 00:00:00'),"
        + " DATEADD('SECOND', -X * 17, TIMESTAMP '2026-11-01 00:00:00') FROM SYSTEM_RANGE(1, 50000)");
    s.execute("CREATE TABLE SHOP.ORDERS (ID BIGINT PRIMARY KEY, CUSTOMER_ID BIGINT NOT NULL, PRODUCT_ID INT NOT NULL,"
        + " QUANTITY INT NOT NULL, UNIT_PRICE DECIMAL(10,2) NOT NULL, STATUS VARCHAR(20) NOT NULL,"
        + " ORDERED_AT TIMESTAMP(6) NOT NULL, NOTE VARCHAR(200))");
    insertOrders(s, 1, ORDERS);
    s.execute("CREATE TABLE SHOP.PAYMENTS (ID BIGINT PRIMARY KEY, ORDER_ID BIGINT NOT NULL, AMOUNT DECIMAL(12,2) NOT NULL,"
        + " METHOD VARCHAR(20) NOT NULL, PAID_AT TIMESTAMP(6))");
    s.execute("INSERT INTO SHOP.PAYMENTS SELECT X, X * 3, CAST(MOD(X * 7919, 100000) / 100.0 AS DECIMAL(12,2)),"
        + " CASE MOD(X, 3) WHEN 0 THEN 'card' WHEN 1 THEN 'invoice' ELSE 'paypal' END,"
        + " CASE WHEN MOD(X, 50) = 0 THEN NULL ELSE DATEADD('SECOND', X * 7, TIMESTAMP '2025-01-01 00:00:00') END"
        + " FROM SYSTEM_RANGE(1, 300000)");
  }

  private static void addOrders(Statement s) throws SQLException {
    long max;
    try (ResultSet rs = s.executeQuery("SELECT MAX(ID) FROM SHOP.ORDERS")) {
      rs.next();
      max = rs.getLong(1);
    }
    insertOrders(s, max + 1, max + NEW_ORDERS_PER_RUN);
  }

  private static void insertOrders(Statement s, long from, long to) throws SQLException {
    s.execute("INSERT INTO SHOP.ORDERS SELECT X, 1 + MOD(X * 7, 50000), 1 + MOD(X * 13, 2000), 1 + MOD(X, 9),"
        + " CAST(1 + MOD(X * 37, 50000) / 100.0 AS DECIMAL(10,2)),"
        + " CASE MOD(X, 5) WHEN 0 THEN 'shipped' WHEN 1 THEN 'paid' WHEN 2 THEN 'delivered' WHEN 3 THEN 'new' ELSE 'returned' END,"
        + " DATEADD('MILLISECOND', X * 2311, TIMESTAMP '2024-01-01 00:00:00'),"
        + " CASE WHEN MOD(X, 11) = 0 THEN 'gift wrap 🎁' WHEN MOD(X, 3) = 0 THEN NULL ELSE 'standard' END"
        + " FROM SYSTEM_RANGE(" + from + ", " + to + ")");
  }
}
