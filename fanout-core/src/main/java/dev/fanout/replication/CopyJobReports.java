package dev.fanout.replication;

import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.TableName;
import dev.fanout.metadata.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code copy_jobs} and {@code copy_job_runs} tell people and checks: the listing, counts, lag and
 * flagged jobs of the status page, API and metrics, and the pending jobs and holes that the incremental
 * guard, failover and staging clean-up look at. It only reads; {@link CopyJobQueue} changes the queue.
 */
public final class CopyJobReports {
  private final Sql tx;

  public CopyJobReports(Sql tx) {
    this.tx = tx;
  }

  public CopyJob require(long jobId) {
    return tx.run("reading copy job " + jobId, c -> CopyJobRows.find(c, jobId))
        .orElseThrow(() -> CopyJobRows.unknown(jobId));
  }

  public List<CopyJob> list(CopyJobFilter filter) {
    return tx.run("listing copy jobs", c -> {
      StringBuilder sql = new StringBuilder("SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs WHERE 1 = 1");
      List<String> args = new ArrayList<>();
      if (filter.state() != null) {
        sql.append(" AND state = ?");
        args.add(filter.state().name());
      }
      if (filter.table() != null) {
        sql.append(" AND hive_db = ? AND hive_table = ?");
        args.add(filter.table().db());
        args.add(filter.table().table());
      }
      if (filter.destination() != null) {
        sql.append(" AND destination = ?");
        args.add(filter.destination());
      }
      sql.append(" ORDER BY job_id DESC LIMIT ").append(Math.max(1, filter.limit()));
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          ps.setString(i + 1, args.get(i));
        }
        return CopyJobRows.read(ps);
      }
    });
  }

  /** Pending jobs of a table to any destination, oldest first: what the incremental guard looks at. */
  public List<CopyJob> pendingFor(long tableId) {
    return tx.run("reading pending copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs"
          + " WHERE table_id = ? AND state IN " + CopyJobRows.PENDING_SQL + " ORDER BY seq, job_id")) {
        ps.setLong(1, tableId);
        return CopyJobRows.read(ps);
      }
    });
  }

  /**
   * Cancelled import jobs of a table whose destination has had no full copy since, oldest first: each
   * is an increment missing there, so a further increment would leave a hole.
   */
  public List<CopyJob> holes(long tableId) {
    return tx.run("reading cancelled copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs"
          + " WHERE table_id = ? AND job_kind = 'IMPORT' AND state = 'CANCELLED' AND mended IS NULL"
          + " ORDER BY seq, job_id")) {
        ps.setLong(1, tableId);
        return CopyJobRows.read(ps);
      }
    });
  }

  /** How many jobs of an import have still to run (its staged manifest is kept until none has). */
  public int pendingOfImport(String importId) {
    return tx.run("counting pending copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM copy_jobs WHERE import_id = ? AND state IN " + CopyJobRows.PENDING_SQL)) {
        ps.setString(1, importId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  public Map<CopyJobState, Integer> countsByState() {
    return tx.run("counting copy jobs", c -> {
      Map<CopyJobState, Integer> out = new EnumMap<>(CopyJobState.class);
      for (CopyJobState s : CopyJobState.values()) {
        out.put(s, 0);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM copy_jobs GROUP BY state");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(CopyJobState.of(rs.getString(1)), rs.getInt(2));
        }
      }
      return out;
    });
  }

  /**
   * Jobs a person should look at: FLAGGED ones (not retried), and pending ones that failed at least this
   * many times (still retried).
   */
  public int countFlagged(int flagAfterAttempts) {
    return tx.run("counting failing copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM copy_jobs WHERE state = 'FLAGGED'"
          + " OR (state IN " + CopyJobRows.PENDING_SQL + " AND attempts >= ? AND last_error IS NOT NULL)")) {
        ps.setInt(1, flagAfterAttempts);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /**
   * Jobs that failed and wait for a try or a person (FLAGGED, or pending with an error), oldest first:
   * what a person looks at first.
   */
  public List<CopyJob> failing() {
    return tx.run("listing failing copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs"
          + " WHERE state = 'FLAGGED' OR (state IN " + CopyJobRows.PENDING_SQL + " AND last_error IS NOT NULL)"
          + " ORDER BY job_id")) {
        return CopyJobRows.read(ps);
      }
    });
  }

  /** Every job still pending or finished at or after {@code since}: all that the lag since then depends on. */
  public List<CopyJob> activeSince(Instant since) {
    return tx.run("reading recent copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs"
          + " WHERE finished IS NULL OR finished >= ? ORDER BY job_id")) {
        UtcTimes.set(ps, 1, since);
        return CopyJobRows.read(ps);
      }
    });
  }

  /** Lag per table and destination, for every pair that has ever had a job. */
  public List<TableLag> lag() {
    return tx.run("reading copy lag", c -> {
      Map<String, TableLag> out = new LinkedHashMap<>();
      String pending = CopyJobRows.PENDING_SQL;
      try (PreparedStatement ps = c.prepareStatement("SELECT hive_db, hive_table, destination,"
          + " SUM(CASE WHEN state IN " + pending + " THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state IN " + pending + " AND last_error IS NOT NULL THEN 1 ELSE 0 END),"
          + " MIN(CASE WHEN state IN " + pending + " THEN created END),"
          + " MAX(CASE WHEN state = 'DONE' THEN finished END)"
          + " FROM copy_jobs GROUP BY hive_db, hive_table, destination ORDER BY hive_db, hive_table, destination");
          ResultSet rs = ps.executeQuery()) {
        Instant now = Instant.now();
        while (rs.next()) {
          TableName table = new TableName(rs.getString(1), rs.getString(2));
          Instant oldest = UtcTimes.get(rs, 6);
          double lag = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
          out.put(table + "/" + rs.getString(3), new TableLag(table, rs.getString(3), rs.getInt(4), rs.getInt(5),
              oldest, lag, UtcTimes.get(rs, 7)));
        }
      }
      return new ArrayList<>(out.values());
    });
  }

  public List<CopyJobRun> runs(long jobId) {
    return tx.run("reading the runs of copy job " + jobId, c -> {
      List<CopyJobRun> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT job_id, lease_owner, started, ended, outcome, error,"
          + " bytes_copied FROM copy_job_runs WHERE job_id = ? ORDER BY run_id")) {
        ps.setLong(1, jobId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long bytes = rs.getLong(7);
            out.add(new CopyJobRun(rs.getLong(1), rs.getString(2), UtcTimes.get(rs, 3),
                UtcTimes.get(rs, 4), rs.getString(5), rs.getString(6),
                rs.wasNull() ? null : bytes));
          }
        }
      }
      return out;
    });
  }
}
