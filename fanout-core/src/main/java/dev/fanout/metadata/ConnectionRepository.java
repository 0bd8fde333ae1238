package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code jdbc_connections}: the sources this instance reads from. */
public final class ConnectionRepository {
  private final Sql tx;

  public ConnectionRepository(Sql tx) {
    this.tx = tx;
  }

  public void add(SourceConnection connection) {
    tx.run("adding connection " + connection.alias(), c -> {
      if (find(c, connection.alias()).isPresent()) {
        throw new FanoutException("Connection '" + connection.alias() + "' already exists; remove it first to change it.");
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO jdbc_connections (dbalias, jdbc_url, credentials, max_import_sessions, created) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, connection.alias());
        ps.setString(2, connection.jdbcUrl());
        ps.setString(3, connection.sealedCredentials());
        ps.setInt(4, connection.maxSessions());
        UtcTimes.set(ps, 5, Instant.now());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Creates or updates a connection copied from another instance. Its credentials replace the stored
   * ones only when given (the remote synchronises credentials); otherwise the existing ones are kept.
   * Two copies of tables sharing a connection may publish at once: the one whose insert loses the race
   * updates instead (the savepoint keeps PostgreSQL's transaction usable after the failed insert).
   */
  public void upsert(SourceConnection connection) {
    tx.run("writing connection " + connection.alias(), c -> {
      upsert(c, connection);
      return null;
    });
  }

  private static void upsert(java.sql.Connection c, SourceConnection connection) throws java.sql.SQLException {
    if (find(c, connection.alias()).isEmpty()) {
      java.sql.Savepoint beforeInsert = c.getAutoCommit() ? null : c.setSavepoint();
      try {
        write(c, connection, false);
        return;
      } catch (java.sql.SQLException e) {
        if (beforeInsert == null || e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
          throw e;
        }
        c.rollback(beforeInsert);
      }
    }
    write(c, connection, true);
  }

  private static void write(java.sql.Connection c, SourceConnection connection, boolean exists)
      throws java.sql.SQLException {
    boolean withCredentials = connection.sealedCredentials() != null;
    String sql = exists
        ? "UPDATE jdbc_connections SET jdbc_url = ?, max_import_sessions = ?"
            + (withCredentials ? ", credentials = ?" : "") + " WHERE dbalias = ?"
        : "INSERT INTO jdbc_connections (jdbc_url, max_import_sessions, credentials, dbalias, created) VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, connection.jdbcUrl());
      ps.setInt(i++, connection.maxSessions());
      if (!exists || withCredentials) {
        ps.setString(i++, connection.sealedCredentials());
      }
      ps.setString(i++, connection.alias());
      if (!exists) {
        UtcTimes.set(ps, i, Instant.now());
      }
      ps.executeUpdate();
    }
  }

  public Optional<SourceConnection> find(String alias) {
    return tx.run("reading connection " + alias, c -> find(c, alias));
  }

  public SourceConnection require(String alias) {
    return find(alias).orElseThrow(() -> new FanoutException(
        "Unknown connection '" + alias + "'; 'fanout connection list' shows the ones that exist."));
  }

  public List<SourceConnection> list() {
    return tx.run("listing connections", c -> {
      List<SourceConnection> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT dbalias, jdbc_url, credentials, max_import_sessions FROM jdbc_connections ORDER BY dbalias");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  public void remove(String alias) {
    tx.run("removing connection " + alias, c -> {
      try (PreparedStatement used = c.prepareStatement("SELECT COUNT(*) FROM import_tables WHERE dbalias = ?")) {
        used.setString(1, alias);
        try (ResultSet rs = used.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            throw new FanoutException("Connection '" + alias + "' is used by " + rs.getLong(1)
                + " import table(s); remove those first.");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM jdbc_connections WHERE dbalias = ?")) {
        ps.setString(1, alias);
        if (ps.executeUpdate() == 0) {
          throw new FanoutException("Unknown connection '" + alias + "'.");
        }
      }
      return null;
    });
  }

  private static Optional<SourceConnection> find(java.sql.Connection c, String alias) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT dbalias, jdbc_url, credentials, max_import_sessions FROM jdbc_connections WHERE dbalias = ?")) {
      ps.setString(1, alias);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static SourceConnection read(ResultSet rs) throws java.sql.SQLException {
    return new SourceConnection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4));
  }
}
