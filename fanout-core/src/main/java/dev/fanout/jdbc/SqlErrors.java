package dev.fanout.jdbc;

import java.sql.SQLException;

/** Turns a driver's exception into the short cause a user needs, without stack traces. */
public final class SqlErrors {
  private SqlErrors() {}

  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(e.getMessage());
    String bottom = firstLine(root.getMessage());
    if (root != e && bottom != null && (top == null || !top.contains(bottom))) {
      return (top == null ? "" : top + " (") + bottom + (top == null ? "" : ")");
    }
    return top == null ? e.getClass().getSimpleName() : top;
  }

  public static boolean isAuthenticationFailure(SQLException e) {
    String state = e.getSQLState();
    return "28000".equals(state) || "28P01".equals(state) || (e.getErrorCode() == 1045);
  }

  private static String firstLine(String s) {
    return s == null ? null : s.lines().findFirst().orElse(s).trim();
  }
}
