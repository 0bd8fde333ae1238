package dev.fanout.lease;

import dev.fanout.metadata.MetadataDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The metadata database's clock, in epoch milliseconds. Every holder of a lease judges expiry by it, so
 * two hosts whose clocks disagree never both believe they hold one lease.
 */
final class DatabaseClock {
  private final String sql;

  DatabaseClock(MetadataDatabase.Vendor vendor) {
    this.sql = switch (vendor) {
      // the wall clock now, not the transaction's start (PostgreSQL's CURRENT_TIMESTAMP is the latter)
      case POSTGRESQL -> "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
      // NOW() is the session zone's wall clock, ambiguous in its repeated hour; UTC_TIMESTAMP() is not
      case MYSQL -> "SELECT TIMESTAMPDIFF(MICROSECOND, TIMESTAMP '1970-01-01 00:00:00', UTC_TIMESTAMP(3)) DIV 1000";
      case H2 -> "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
    };
  }

  long nowMillis(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
