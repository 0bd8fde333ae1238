package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.lease.Lease;
import dev.fanout.lease.LeaseStore;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.Sql;
import dev.fanout.metadata.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code copy_jobs} and {@code copy_job_runs} as the durable queue that imports fill and servers drain.
 * Jobs are taken under a row lock ({@code FOR UPDATE SKIP LOCKED} on MariaDB/MySQL and PostgreSQL) and
 * then by a guarded update, so two servers never hold one job at once; a job whose holder's lease ran
 * out, or whose holder is known dead, is taken over. What people and monitors read is in
 * {@link CopyJobReports}.
 */
public final class CopyJobQueue {
  private static final String CLAIMABLE_SQL = CopyJobState.sql(
      java.util.EnumSet.of(CopyJobState.NEW, CopyJobState.FAILED, CopyJobState.RUNNING));
  private static final int ERROR_LENGTH = 4000;
  private static final int PAGE = 20;

  private final Sql tx;
  private final MetadataDatabase.Vendor vendor;
  private final LeaseStore leases;

  public CopyJobQueue(Sql tx) {
    this.tx = tx;
    this.vendor = tx.vendor();
    this.leases = new LeaseStore(tx);
  }

  public long enqueue(long tableId, TableName table, String destination, String importId, String sourcePath, String targetPath) {
    return tx.run("queueing a copy of " + table + " to " + destination, c -> enqueue(c, tableId, table, destination, importId, sourcePath, targetPath));
  }

  /**
   * Adds a WAITING job behind every earlier job of the table to that destination, inside the caller's
   * transaction (the one that records the staged import).
   */
  static long enqueue(Connection c, long tableId, TableName table, String destination, String importId,
      String sourcePath, String targetPath) throws SQLException {
    return insert(c, tableId, table, destination, importId, sourcePath, targetPath, CopyJobState.WAITING,
        CopyJob.Kind.IMPORT);
  }

  private static long insert(Connection c, long tableId, TableName table, String destination, String importId,
      String sourcePath, String targetPath, CopyJobState state, CopyJob.Kind kind) throws SQLException {
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
      ps.setString(10, kind.name());
      UtcTimes.set(ps, 11, Instant.now());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * Queues a mirror of a lake table to a destination (kind MIRROR; {@code table_id = -syncId} keeps the
   * mirrors of one table to one destination in order), unless one is already waiting to run: a waiting
   * mirror brings whatever is current when it runs, and a flagged one waits for a person.
   *
   * @return whether a job was queued
   */
  public boolean enqueueSync(long syncId, TableName table, String destination, long snapshotId, String location) {
    return tx.run("queueing a sync of " + table, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM copy_jobs WHERE table_id = ?"
          + " AND destination = ? AND state IN ('NEW', 'FAILED', 'FLAGGED')")) {
        ps.setLong(1, -syncId);
        ps.setString(2, destination);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return false;
          }
        }
      }
      insert(c, -syncId, table, destination, "snapshot-" + snapshotId, location, destination, CopyJobState.NEW,
          CopyJob.Kind.MIRROR);
      return true;
    });
  }

  public void release(String importId) {
    tx.run("releasing the copy jobs of import " + importId, c -> {
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
    tx.run("cancelling the copy jobs of import " + importId, c -> {
      cancel(c, importId);
      return null;
    });
  }

  /** The import was rejected here: its jobs will never run (SUPERSEDED). */
  static void cancel(Connection c, String importId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'SUPERSEDED', finished = ?"
        + " WHERE import_id = ? AND state IN ('WAITING', 'NEW', 'FAILED', 'FLAGGED')")) {
      UtcTimes.set(ps, 1, Instant.now());
      ps.setString(2, importId);
      ps.executeUpdate();
    }
  }

  /**
   * Takes the next runnable job: due, first in its table-and-destination order, not held by a live
   * lease, not waiting for a person. Returns empty when there is none.
   *
   * @param ownerDead tells whether a lease holder is known to be dead, so its job need not wait for the
   *     lease to run out
   */
  public Optional<Claimed> claim(String owner, Duration lease, Predicate<String> ownerDead) {
    return tx.run("taking a copy job", c -> {
      long now = System.currentTimeMillis();
      long dbNow = leases.nowMillis(c);
      // page past the jobs that cannot be taken (another server's running ones): a page full of them
      // must not hide the due jobs behind it, or a server with many workers leaves most of them idle
      long after = 0;
      List<CopyJob> page;
      do {
        page = candidates(c, now, owner, dbNow, after);
        for (CopyJob listed : page) {
          Optional<Claimed> claimed = tryClaim(c, listed, owner, lease, ownerDead);
          if (claimed.isPresent()) {
            return claimed;
          }
        }
        after = page.isEmpty() ? after : page.get(page.size() - 1).id();
      } while (page.size() == PAGE);
      return Optional.empty();
    });
  }

  private Optional<Claimed> tryClaim(Connection c, CopyJob listed, String owner, Duration lease,
      Predicate<String> ownerDead) throws SQLException {
    // decided on the row as it is now, locked: the list may be older than another server's claim; a row
    // another claimer has locked is passed over, so concurrent claimers take different jobs, not none
    Optional<CopyJob> locked = CopyJobRows.lockUnlessLocked(c, listed.id(), vendor);
    if (locked.isEmpty() || locked.get().state() != listed.state() || locked.get().attempts() != listed.attempts()) {
      return Optional.empty();
    }
    CopyJob candidate = locked.get();
    // a job that is not running has no live holder, whatever its lease row says
    Predicate<String> gone = holder -> candidate.state() != CopyJobState.RUNNING || ownerDead.test(holder);
    Optional<Lease> taken = leases.tryAcquire(c, Lease.copyJob(candidate.id()), owner, lease, gone);
    if (taken.isEmpty()) {
      return Optional.empty();
    }
    if (take(c, candidate, owner)) {
      return Optional.of(new Claimed(CopyJobRows.find(c, candidate.id()).orElseThrow(), taken.get()));
    }
    LeaseStore.giveUp(c, taken.get());
    return Optional.empty();
  }

  /**
   * Ends the job's lease in the caller's transaction if {@code owner} still holds it. The job's row is
   * locked first, as a claim locks it before the lease: the same order everywhere, so a claim and a
   * job's end never deadlock.
   */
  private static boolean endIfHeld(Connection c, long jobId, String owner) throws SQLException {
    CopyJobRows.lock(c, jobId);
    return LeaseStore.endIfHeld(c, Lease.copyJob(jobId), owner);
  }

  /** A job taken from the queue, and the lease under which its holder runs it. */
  public record Claimed(CopyJob job, Lease lease) {}

  /**
   * One page of due jobs first in their order, after job {@code after}, read without locks (each is
   * locked when tried). Jobs this owner runs under a live lease are left out: it never takes them again.
   */
  private List<CopyJob> candidates(Connection c, long now, String owner, long dbNow, long after) throws SQLException {
    // a FLAGGED job is not taken, and being pending it holds back the later jobs of its table there
    String sql = "SELECT " + CopyJobRows.COLUMNS + " FROM copy_jobs j WHERE j.state IN " + CLAIMABLE_SQL
        + " AND j.next_attempt_ms <= ? AND j.job_id > ? AND NOT EXISTS (SELECT 1 FROM copy_jobs e"
        + " WHERE e.table_id = j.table_id AND e.destination = j.destination AND e.seq < j.seq AND e.state IN "
        + CopyJobRows.PENDING_SQL + ") AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.lease_name ="
        + " CONCAT('" + Lease.COPY_JOB_PREFIX + "', j.job_id) AND l.holder = ? AND l.expires_ms >= ?)"
        + " ORDER BY j.job_id LIMIT " + PAGE;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, now);
      ps.setLong(2, after);
      ps.setString(3, owner);
      ps.setLong(4, dbNow);
      return CopyJobRows.read(ps);
    }
  }

  private static boolean take(Connection c, CopyJob job, String owner) throws SQLException {
    // the lease itself is in the leases table; lease_owner stays for people reading the queue
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'RUNNING', lease_owner = ?,"
        + " lease_expires_ms = NULL, attempts = attempts + 1, started = ? WHERE job_id = ? AND state = ?"
        + " AND attempts = ?")) {
      Instant now = Instant.now();
      ps.setString(1, owner);
      UtcTimes.set(ps, 2, now);
      ps.setLong(3, job.id());
      ps.setString(4, job.state().name());
      ps.setInt(5, job.attempts());
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
        UtcTimes.set(run, 3, now);
        run.executeUpdate();
      }
      return true;
    }
  }

  /**
   * Marks a job done; false (and nothing changed) if this owner lost the job meanwhile. The copy of a
   * full import mends the holes that cancelled earlier jobs left at its destination.
   */
  public boolean complete(long jobId, String owner, long bytesCopied, Instant finished) {
    return tx.run("completing copy job " + jobId, c -> {
      if (!endIfHeld(c, jobId, owner)) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'DONE', lease_owner = NULL,"
          + " lease_expires_ms = NULL, bytes_copied = ?, finished = ?, last_error = NULL"
          + " WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setLong(1, bytesCopied);
        UtcTimes.set(ps, 2, finished);
        ps.setLong(3, jobId);
        ps.setString(4, owner);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      endRun(c, jobId, owner, "DONE", null, bytesCopied);
      mendBeforeFullImport(c, jobId);
      return true;
    });
  }

  private static void mendBeforeFullImport(Connection c, long jobId) throws SQLException {
    CopyJob job = CopyJobRows.find(c, jobId).orElseThrow();
    if (job.kind() != CopyJob.Kind.IMPORT || !fullImport(c, job.importId())) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET mended = ? WHERE table_id = ?"
        + " AND destination = ? AND seq < ? AND state = 'CANCELLED' AND job_kind = 'IMPORT' AND mended IS NULL")) {
      UtcTimes.set(ps, 1, Instant.now());
      ps.setLong(2, job.tableId());
      ps.setString(3, job.destination());
      ps.setLong(4, job.seq());
      ps.executeUpdate();
    }
  }

  private static boolean fullImport(Connection c, String importId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT import_phase_type FROM staged_imports WHERE import_id = ?")) {
      ps.setString(1, importId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "full".equalsIgnoreCase(rs.getString(1));
      }
    }
  }

  /**
   * A full copy of the table (a full sync, or a full import copied synchronously) has reached the
   * destination: the holes cancelled import jobs left there are mended.
   */
  public void mendGaps(TableName table, String destination) {
    tx.run("recording the full copy of " + table + " to " + destination, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET mended = ? WHERE hive_db = ?"
          + " AND hive_table = ? AND destination = ? AND state = 'CANCELLED' AND job_kind = 'IMPORT'"
          + " AND mended IS NULL")) {
        UtcTimes.set(ps, 1, Instant.now());
        ps.setString(2, table.db());
        ps.setString(3, table.table());
        ps.setString(4, destination);
        return ps.executeUpdate();
      }
    });
  }

  /** Records a failed try and when to try again; false if this owner lost the job meanwhile. */
  public boolean fail(long jobId, String owner, String error, long nextAttemptMillis) {
    String message = truncate(error);
    return tx.run("recording the failure of copy job " + jobId, c -> {
      if (!endIfHeld(c, jobId, owner)) {
        return false;
      }
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
   * Records a try that failed in a way no retry can mend: the job is FLAGGED and not taken again until
   * a person retries it; false if this owner lost the job meanwhile.
   */
  public boolean flag(long jobId, String owner, String error) {
    String message = truncate(error);
    return tx.run("flagging copy job " + jobId, c -> {
      if (!endIfHeld(c, jobId, owner)) {
        return false;
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'FLAGGED', lease_owner = NULL,"
          + " lease_expires_ms = NULL, last_error = ? WHERE job_id = ? AND lease_owner = ? AND state = 'RUNNING'")) {
        ps.setString(1, message);
        ps.setLong(2, jobId);
        ps.setString(3, owner);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      endRun(c, jobId, owner, "FLAGGED", message, null);
      return true;
    });
  }

  /**
   * Gives a job back without counting the try (a server shutting down): it runs again at once, here or
   * on another server, and copies only what is missing.
   */
  public boolean release(long jobId, String owner) {
    return tx.run("releasing copy job " + jobId, c -> {
      if (!endIfHeld(c, jobId, owner)) {
        return false;
      }
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
      UtcTimes.set(ps, 1, Instant.now());
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

  /** Makes a failed job due now, and puts a flagged one back in the queue (a person mended its cause). */
  public CopyJob retryNow(long jobId) {
    return tx.run("retrying copy job " + jobId, c -> {
      CopyJob job = CopyJobRows.find(c, jobId).orElseThrow(() -> CopyJobRows.unknown(jobId));
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
      // a flagged job keeps its last error until a try succeeds: it shows what the person fixed
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET next_attempt_ms = ?,"
          + " state = CASE WHEN state = 'FLAGGED' THEN 'FAILED' ELSE state END WHERE job_id = ? AND state = ?")) {
        ps.setLong(1, System.currentTimeMillis());
        ps.setLong(2, jobId);
        ps.setString(3, job.state().name());
        if (ps.executeUpdate() != 1) {
          throw new FanoutException("Copy job " + jobId + " changed while it was being retried; look again with"
              + " 'fanout jobs show " + jobId + "'.");
        }
      }
      return CopyJobRows.find(c, jobId).orElseThrow();
    });
  }

  /**
   * Ends a pending job a person decided to drop: CANCELLED, with who and when. A running job is refused
   * (its server would go on copying). The destination then misses what the job carried: for an import
   * job, incremental imports of the table are refused until a full copy reaches it.
   */
  public CopyJob cancel(long jobId, String by) {
    return tx.run("cancelling copy job " + jobId, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE copy_jobs SET state = 'CANCELLED', cancelled_by = ?,"
          + " finished = ?, lease_owner = NULL, lease_expires_ms = NULL WHERE job_id = ? AND state IN "
          + CopyJobState.sql(CopyJobState.CANCELLABLE))) {
        ps.setString(1, truncate(by, 200));
        UtcTimes.set(ps, 2, Instant.now());
        ps.setLong(3, jobId);
        if (ps.executeUpdate() == 1) {
          return CopyJobRows.find(c, jobId).orElseThrow();
        }
      }
      CopyJob job = CopyJobRows.find(c, jobId).orElseThrow(() -> CopyJobRows.unknown(jobId));
      if (job.state() == CopyJobState.RUNNING) {
        throw new FanoutException("Copy job " + jobId + " is running now (held by " + job.leaseOwner()
            + ") and cannot be cancelled; cancel it if this try fails, or let it finish.");
      }
      throw new FanoutException("Copy job " + jobId + " is " + job.state() + "; only a pending job can be cancelled.");
    });
  }

  private static String truncate(String s) {
    return truncate(s, ERROR_LENGTH);
  }

  private static String truncate(String s, int length) {
    if (s == null) {
      return null;
    }
    return s.length() <= length ? s : s.substring(0, length - 1) + "…";
  }
}
