package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a {@code copy_jobs} row is read, shared by the queue and its reports. */
final class CopyJobRows {
  static final String COLUMNS = "job_id, job_kind, table_id, hive_db, hive_table, destination, import_id, seq,"
      + " source_path, target_path, state, attempts, last_error, next_attempt_ms, lease_owner,"
      + " bytes_copied, created, started, finished, cancelled_by";
  static final String PENDING_SQL = CopyJobState.sql(CopyJobState.PENDING);

  private CopyJobRows() {}

  static Optional<CopyJob> find(Connection c, long jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM copy_jobs WHERE job_id = ?")) {
      ps.setLong(1, jobId);
      return read(ps).stream().findFirst();
    }
  }

  /** The job as it is now, its row locked until the caller's transaction ends. */
  static Optional<CopyJob> lock(Connection c, long jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM copy_jobs WHERE job_id = ? FOR UPDATE")) {
      ps.setLong(1, jobId);
      return read(ps).stream().findFirst();
    }
  }

  /**
   * The job as it is now, its row locked until the caller's transaction ends; empty if another
   * transaction holds the row (H2, which cannot skip a locked row, waits for it).
   */
  static Optional<CopyJob> lockUnlessLocked(Connection c, long jobId, MetadataDatabase.Vendor vendor)
      throws SQLException {
    String skip = vendor == MetadataDatabase.Vendor.H2 ? "" : " SKIP LOCKED";
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM copy_jobs WHERE job_id = ? FOR UPDATE" + skip)) {
      ps.setLong(1, jobId);
      return read(ps).stream().findFirst();
    }
  }

  static FanoutException unknown(long jobId) {
    return new FanoutException("Unknown copy job " + jobId + "; 'fanout jobs' lists them.");
  }

  static List<CopyJob> read(PreparedStatement ps) throws SQLException {
    List<CopyJob> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CopyJob(rs.getLong(1), CopyJob.Kind.of(rs.getString(2)), rs.getLong(3),
            new TableName(rs.getString(4), rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8),
            rs.getString(9), rs.getString(10), CopyJobState.of(rs.getString(11)), rs.getInt(12), rs.getString(13),
            rs.getLong(14), rs.getString(15), rs.getLong(16), UtcTimes.get(rs, 17),
            UtcTimes.get(rs, 18), UtcTimes.get(rs, 19), rs.getString(20)));
      }
    }
    return out;
  }
}
