package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.Sql;
import dev.fanout.metadata.TableName;
import dev.fanout.metadata.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code copy_jobs} and {@code copy_job_runs}: the durable queue of asynchronous copies. Jobs are taken
 * under a row lock ({@code FOR UPDATE SKIP LOCKED} on MariaDB/MySQL and PostgreSQL) and then by a
 * guarded update, so two servers never hold one job at once; a job whose holder's lease ran out, or
 * whose holder is known dead, is taken over.
 */
public final class CopyJobRepository {
  private static final String COLUMNS = "job_id, table_id, hive_db, hive_table, destination, import_id, seq,"
      + " source_path, target_path, state, attempts, last_error, next_attempt_ms, lease_owner, lease_expires_ms,"
      + " bytes_copied, created, started, finished";
  private static final String PENDING_SQL = "('WAITING', 'NEW', 'RUNNING', 'FAILED')";
  private static final int ERROR_LENGTH = 4000;

  private final Sql tx;
  private final MetadataDatabase.Vendor vendor;

  public CopyJobRepository(Sql tx) {
    this.tx = tx;
    this.vendor = tx.vendor();
  }

  public long enqueue(long tableId, TableName table, String destination, String importId, String sourcePath, String targetPath) {
    return tx.run("enqueue", c -> enqueue(c, tableId, table, destination, importId, sourcePath, targetPath));
  }

  /**
   * Adds a WAITING job behind every earlier job of the table to that destination, inside the caller's
   * transaction (the one that records the staged import).
   */
  static long enqueue(Connection c, long tableId, TableName table, String destination, String importId,
      String sourcePath, String targetPath) throws SQLException {
    return insert(c, tableId, table, destination, importId, sourcePath, targetPath, CopyJobState.WAITING, "IMPORT");
  }

  private static long insert(Connection c, long tableId, TableName table, String destination, String importId,
      String sourcePath, String targetPath, CopyJobState state, String kind) throws SQLException {
    long seq;
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(seq), 0) FROM copy_jobs WHERE table_id = ? AND destination = ?")) {
      ps.setLong(1, tableId);
      ps.setString(2, destination);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getLong(1) + 1;
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO copy_jobs (table_id, hive_db, hive_table, destination,"
        + " import_id, seq, source_path, target_path, state, job_kind, attempts, next_attempt_ms, bytes_copied,"
        + " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setLong(1, tableId);
      ps.setString(2, table.db());
      ps.setString(3, table.table());
      ps.setString(4, destination);
      ps.setString(5, importId);
      ps.setLong(6, seq);
      ps.setString(7, sourcePath);
      ps.setString(8, targetPath);
      ps.setString(9, state.name());
      ps.setString(10, kind);
      ps.setTimestamp(11, Transactions.timestamp(Instant.now()));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Queues a sync of a lake table to a destination, under {@code table_id = -syncId}, unless one is
   * already waiting to run (a waiting sync brings whatever is current when it runs).
   *
   * @return whether a job was queued
   */
  public boolean enqueueSync(long syncId, TableName table, String destination, long snapshotId, String location) {
    return tx.run("queueing a sync of " + table, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM copy_jobs WHERE table_id = ?"
          + " AND destination = ? AND state IN ('NEW', 'FAILED')")) {
        ps.setLong(1, -syncId);
        ps.setString(2, destination);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return false;
          }
        }
      }
      insert(c, -syncId, table, destination, "snapshot-" + snapshotId, location, destination, CopyJobState.NEW, "SYNC");
      return true;
    });
  }

  public void release(String importId) {
    tx.run("release", c -> {
      release(c, importId);
      return null;
    });
  }

  /** The import is loaded here: its jobs may run (called in the transaction that records the load). */
  static void release(Connection c, String importId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE copy_jobs SET state = 'NEW', next_attempt_ms = ? WHERE import_id = ? AND state = 'WAITING'")) {
      ps.setLong(1, System.currentTimeMillis());
      ps.setString(2, importId);
      ps.executeUpdate();
    }
  }

  public void cancel(String importId) {
    tx.run("cancel", c -> {
      cancel(c, importId);
      return null;
    });
  }

  /** The import was rejected here: its jobs will never run (SUPERSEDED). */
  static void cancel(Connection c, String importId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'SUPERSEDED', finished = ?"
        + " WHERE import_id = ? AND state IN ('WAITING', 'NEW', 'FAILED')")) {
      ps.setTimestamp(1, Transactions.timestamp(Instant.now()));
      ps.setString(2, importId);
      ps.executeUpdate();
    }
  }

  /**
   * Takes the next runnable job: due, first in its table-and-destination order, not held by a live
   * lease. Returns empty when there is none.
   *
   * @param ownerDead tells whether a lease holder is known to be dead, so its job need not wait for the
   *     lease to run out
   */
  public Optional<CopyJob> claim(String owner, Duration lease, Predicate<String> ownerDead) {
    return tx.run("taking a copy job", c -> {
      long now = System.currentTimeMillis();
      for (CopyJob candidate : candidates(c, now)) {
        boolean free = candidate.state() != CopyJobState.RUNNING
            || candidate.leaseExpiresMillis() == null || candidate.leaseExpiresMillis() < now
            || ownerDead.test(candidate.leaseOwner());
        if (free && take(c, candidate, owner, now + lease.toMillis())) {
          return Optional.of(find(c, candidate.id()).orElseThrow());
        }
      }
      return Optional.empty();
    });
  }

  private List<CopyJob> candidates(Connection c, long now) throws SQLException {
    String lock = vendor == MetadataDatabase.Vendor.H2 ? "" : " FOR UPDATE SKIP LOCKED";
    String sql = "SELECT " + COLUMNS + " FROM copy_jobs j WHERE j.state IN ('NEW', 'FAILED', 'RUNNING')"
        + " AND j.next_attempt_ms <= ? AND NOT EXISTS (SELECT 1 FROM copy_jobs e WHERE e.table_id = j.table_id"
        + " AND e.destination = j.destination AND e.seq < j.seq AND e.state IN " + PENDING_SQL + ")"
        + " ORDER BY j.job_id LIMIT 20" + lock;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      return read(ps);
    }
  }

  private static boolean take(Connection c, CopyJob job, String owner, long leaseExpires) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'RUNNING', lease_owner = ?,"
        + " lease_expires_ms = ?, attempts = attempts + 1, started = ? WHERE job_id = ? AND state = ?"
        + " AND attempts = ?")) {
      Instant now = Instant.now();
      ps.setString(1, owner);
      ps.setLong(2, leaseExpires);
      ps.setTimestamp(3, Transactions.timestamp(now));
      ps.setLong(4, job.id());
      ps.setString(5, job.state().name());
      ps.setInt(6, job.attempts());
      if (ps.executeUpdate() != 1) {
        return false;
      }
      if (job.state() == CopyJobState.RUNNING) {
        endRun(c, job.id(), job.leaseOwner(), "ABANDONED", "the server holding it stopped", null);
      }
      try (PreparedStatement run = c.prepareStatement(
          "INSERT INTO copy_job_runs (job_id, lease_owner, started) VALUES (?, ?, ?)")) {
        run.setLong(1, job.id());
        run.setString(2, owner);
        run.setTimestamp(3, Transactions.timestamp(now));
        run.executeUpdate();
      }
      return true;
    }
  }

  /** Extends the lease of a running job; false if it is no longer this owner's. */
  public boolean renew(long jobId, String owner, Duration lease) {
    return tx.run("renewing the lease of copy job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET lease_expires_ms = ?"
          + " WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setLong(1, System.currentTimeMillis() + lease.toMillis());
        ps.setLong(2, jobId);
        ps.setString(3, owner);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Marks a job done; false (and nothing changed) if this owner lost the job meanwhile. */
  public boolean complete(long jobId, String owner, long bytesCopied, Instant finished) {
    return tx.run("completing copy job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'DONE', lease_owner = NULL,"
          + " lease_expires_ms = NULL, bytes_copied = ?, finished = ?, last_error = NULL"
          + " WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setLong(1, bytesCopied);
        ps.setTimestamp(2, Transactions.timestamp(finished));
        ps.setLong(3, jobId);
        ps.setString(4, owner);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      endRun(c, jobId, owner, "DONE", null, bytesCopied);
      return true;
    });
  }

  /** Records a failed try and when to try again; false if this owner lost the job meanwhile. */
  public boolean fail(long jobId, String owner, String error, long nextAttemptMillis) {
    String message = truncate(error);
    return tx.run("recording the failure of copy job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'FAILED', lease_owner = NULL,"
          + " lease_expires_ms = NULL, last_error = ?, next_attempt_ms = ?"
          + " WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setString(1, message);
        ps.setLong(2, nextAttemptMillis);
        ps.setLong(3, jobId);
        ps.setString(4, owner);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      endRun(c, jobId, owner, "FAILED", message, null);
      return true;
    });
  }

  /**
   * Gives a job back without counting the try (a server shutting down): it runs again at once, here or
   * on another server, and copies only what is missing.
   */
  public boolean release(long jobId, String owner) {
    return tx.run("releasing copy job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = CASE WHEN last_error IS NULL"
          + " THEN 'NEW' ELSE 'FAILED' END, lease_owner = NULL, lease_expires_ms = NULL, attempts = attempts - 1,"
          + " next_attempt_ms = ? WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setLong(2, jobId);
        ps.setString(3, owner);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      endRun(c, jobId, owner, "RELEASED", "the server shut down", null);
      return true;
    });
  }

  private static void endRun(Connection c, long jobId, String owner, String outcome, String error, Long bytes)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_job_runs SET ended = ?, outcome = ?, error = ?,"
        + " bytes_copied = ? WHERE job_id = ? AND lease_owner = ? AND ended IS NULL")) {
      ps.setTimestamp(1, Transactions.timestamp(Instant.now()));
      ps.setString(2, outcome);
      ps.setString(3, error);
      if (bytes == null) {
        ps.setNull(4, java.sql.Types.BIGINT);
      } else {
        ps.setLong(4, bytes);
      }
      ps.setLong(5, jobId);
      ps.setString(6, owner);
      ps.executeUpdate();
    }
  }

  /** Makes a waiting or failed job due now. */
  public CopyJob retryNow(long jobId) {
    return tx.run("retrying copy job " + jobId, c -> {
      CopyJob job = find(c, jobId).orElseThrow(() -> unknown(jobId));
      if (!job.state().pending()) {
        throw new FanoutException("Copy job " + jobId + " is " + job.state() + "; only a pending job can be retried.");
      }
      if (job.state() == CopyJobState.RUNNING) {
        throw new FanoutException("Copy job " + jobId + " is running now (held by " + job.leaseOwner() + ").");
      }
      if (job.state() == CopyJobState.WAITING) {
        throw new FanoutException("Copy job " + jobId + " waits for import " + job.importId()
            + " to be loaded here first; rerun 'fanout import --table " + job.table() + "' to finish it.");
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET next_attempt_ms = ? WHERE job_id = ?")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setLong(2, jobId);
        ps.executeUpdate();
      }
      return find(c, jobId).orElseThrow();
    });
  }

  public CopyJob require(long jobId) {
    return tx.run("reading copy job " + jobId, c -> find(c, jobId)).orElseThrow(() -> unknown(jobId));
  }

  private static FanoutException unknown(long jobId) {
    return new FanoutException("Unknown copy job " + jobId + "; 'fanout jobs' lists them.");
  }

  public List<CopyJob> list(CopyJobFilter filter) {
    return tx.run("listing copy jobs", c -> {
      StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM copy_jobs WHERE 1 = 1");
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
        return read(ps);
      }
    });
  }

  /** Pending jobs of a table to any destination, oldest first: what the incremental guard looks at. */
  public List<CopyJob> pendingFor(long tableId) {
    return tx.run("reading pending copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM copy_jobs WHERE table_id = ?"
          + " AND state IN " + PENDING_SQL + " ORDER BY seq, job_id")) {
        ps.setLong(1, tableId);
        return read(ps);
      }
    });
  }

  /** How many jobs of an import have still to run (its staged manifest is kept until none has). */
  public int pendingOfImport(String importId) {
    return tx.run("counting pending copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM copy_jobs WHERE import_id = ? AND state IN " + PENDING_SQL)) {
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

  /** Jobs still pending after at least this many tries: the ones flagged for a person. */
  public int countFlagged(int flagAfterAttempts) {
    return tx.run("counting failing copy jobs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM copy_jobs WHERE state IN " + PENDING_SQL
          + " AND attempts >= ? AND last_error IS NOT NULL")) {
        ps.setInt(1, flagAfterAttempts);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /** Lag per table and destination, for every pair that has ever had a job. */
  public List<TableLag> lag() {
    return tx.run("reading copy lag", c -> {
      Map<String, TableLag> out = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT hive_db, hive_table, destination,"
          + " SUM(CASE WHEN state IN " + PENDING_SQL + " THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state IN " + PENDING_SQL + " AND last_error IS NOT NULL THEN 1 ELSE 0 END),"
          + " MIN(CASE WHEN state IN " + PENDING_SQL + " THEN created END),"
          + " MAX(CASE WHEN state = 'DONE' THEN finished END)"
          + " FROM copy_jobs GROUP BY hive_db, hive_table, destination ORDER BY hive_db, hive_table, destination");
          ResultSet rs = ps.executeQuery()) {
        Instant now = Instant.now();
        while (rs.next()) {
          TableName table = new TableName(rs.getString(1), rs.getString(2));
          Instant oldest = Transactions.instant(rs.getTimestamp(6));
          double lag = oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
          out.put(table + "/" + rs.getString(3), new TableLag(table, rs.getString(3), rs.getInt(4), rs.getInt(5),
              oldest, lag, Transactions.instant(rs.getTimestamp(7))));
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
            out.add(new CopyJobRun(rs.getLong(1), rs.getString(2), Transactions.instant(rs.getTimestamp(3)),
                Transactions.instant(rs.getTimestamp(4)), rs.getString(5), rs.getString(6),
                rs.wasNull() ? null : bytes));
          }
        }
      }
      return out;
    });
  }

  private static Optional<CopyJob> find(Connection c, long jobId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM copy_jobs WHERE job_id = ?")) {
      ps.setLong(1, jobId);
      return read(ps).stream().findFirst();
    }
  }

  private static List<CopyJob> read(PreparedStatement ps) throws SQLException {
    List<CopyJob> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long expires = rs.getLong(15);
        Long leaseExpires = rs.wasNull() ? null : expires;
        out.add(new CopyJob(rs.getLong(1), rs.getLong(2), new TableName(rs.getString(3), rs.getString(4)),
            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
            CopyJobState.of(rs.getString(10)), rs.getInt(11), rs.getString(12), rs.getLong(13), rs.getString(14),
            leaseExpires, rs.getLong(16), Transactions.instant(rs.getTimestamp(17)),
            Transactions.instant(rs.getTimestamp(18)), Transactions.instant(rs.getTimestamp(19))));
      }
    }
    return out;
  }

  private static String truncate(String s) {
    if (s == null) {
      return null;
    }
    return s.length() <= ERROR_LENGTH ? s : s.substring(0, ERROR_LENGTH - 1) + "…";
  }
}
