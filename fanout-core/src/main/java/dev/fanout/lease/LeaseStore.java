package dev.fanout.lease;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.LeaseLostException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code leases}: acquire, renew, take over from a dead or expired holder, release, and the fencing check
 * that a protected commit runs in its own transaction. Expiry is judged on the database's clock.
 */
public final class LeaseStore {
  private final Sql tx;
  private final DatabaseClock clock;

  public LeaseStore(Sql tx) {
    this.tx = tx;
    this.clock = new DatabaseClock(tx.vendor());
  }

  /** Who holds a lease now, if anyone holds it and it has not run out. */
  public record Holder(String holder, long epoch, long expiresInMillis) {
    /** When the lease is free if this holder died: its own expiry, whatever length the asker would use. */
    public String runsOut() {
      return "if it crashed, its lease runs out in " + Math.max(1, (expiresInMillis + 999) / 1000) + " s";
    }
  }

  /**
   * Takes the lease if it is free, expired, or held by a holder {@code dead} says is gone;
   * a take-over from another holder raises the epoch. Empty while another live holder has it.
   */
  public Optional<Lease> tryAcquire(String name, String holder, Duration length, Predicate<String> dead) {
    return tx.run("taking the lease " + name, c -> tryAcquire(c, name, holder, length, dead));
  }

  /** {@link #tryAcquire(String, String, Duration, Predicate)} inside the caller's transaction. */
  public Optional<Lease> tryAcquire(Connection c, String name, String holder, Duration length, Predicate<String> dead)
      throws SQLException {
    long now = clock.nowMillis(c);
    Optional<Row> row = lockRow(c, name);
    if (row.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO leases (lease_name, holder, epoch, expires_ms, acquired) VALUES (?, ?, 1, ?, ?)")) {
        ps.setString(1, name);
        ps.setString(2, holder);
        ps.setLong(3, now + length.toMillis());
        UtcTimes.set(ps, 4, Instant.ofEpochMilli(now));
        ps.executeUpdate();
      } catch (SQLException e) {
        return Optional.empty(); // another holder inserted it at the same moment: it is theirs
      }
      return Optional.of(new Lease(name, holder, 1));
    }
    Row r = row.get();
    // a holder never takes its own live lease again: one server's workers share its name, and a job it
    // already runs must not be claimed a second time
    boolean free = r.holder == null || r.expiresMs == null || r.expiresMs < now || dead.test(r.holder);
    if (!free) {
      return Optional.empty();
    }
    long epoch = r.epoch + 1;
    try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET holder = ?, epoch = ?, expires_ms = ?,"
        + " acquired = ? WHERE lease_name = ? AND epoch = ?")) {
      ps.setString(1, holder);
      ps.setLong(2, epoch);
      ps.setLong(3, now + length.toMillis());
      UtcTimes.set(ps, 4, Instant.ofEpochMilli(now));
      ps.setString(5, name);
      ps.setLong(6, r.epoch);
      return ps.executeUpdate() == 1 ? Optional.of(new Lease(name, holder, epoch)) : Optional.empty();
    }
  }

  /** Now on the database's clock, by which every lease's expiry is judged. */
  public long nowMillis(Connection c) throws SQLException {
    return clock.nowMillis(c);
  }

  /** Extends the lease from now on the database's clock; false if another holder has taken it. */
  public boolean renew(Lease lease, Duration length) {
    return tx.run("renewing the lease " + lease.name(), c -> {
      long now = clock.nowMillis(c);
      try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET expires_ms = ?"
          + " WHERE lease_name = ? AND holder = ? AND epoch = ?")) {
        ps.setLong(1, now + length.toMillis());
        ps.setString(2, lease.name());
        ps.setString(3, lease.holder());
        ps.setLong(4, lease.epoch());
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Gives the lease up, if it is still ours; the epoch stays, so a later holder's epoch is higher still. */
  public void release(Lease lease) {
    tx.run("releasing the lease " + lease.name(), c -> {
      giveUp(c, lease);
      return null;
    });
  }

  /**
   * The fencing check: locks the lease's row until the caller's transaction ends and refuses unless the
   * lease is still this holder's at this epoch. A take-over waits for the caller's commit, so the new
   * holder sees everything the old one committed, and the old one commits nothing after losing.
   */
  public void checkHeld(Connection c, Lease lease, String work) throws SQLException {
    Optional<Row> row = lockRow(c, lease.name());
    if (row.isEmpty() || row.get().epoch != lease.epoch() || !lease.holder().equals(row.get().holder)) {
      String now = row.map(r -> r.holder == null ? "nobody" : r.holder).orElse("nobody");
      throw new LeaseLostException(work + " lost its lease (" + lease.name() + ", now held by " + now
          + ") while it was stalled, so it committed nothing; the new holder does the work.");
    }
  }

  /** Gives a lease up inside the caller's transaction, if it is still this holder's at this epoch. */
  public static void giveUp(Connection c, Lease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET holder = NULL, expires_ms = NULL"
        + " WHERE lease_name = ? AND holder = ? AND epoch = ?")) {
      ps.setString(1, lease.name());
      ps.setString(2, lease.holder());
      ps.setLong(3, lease.epoch());
      ps.executeUpdate();
    }
  }

  /**
   * Ends work under a lease inside the caller's transaction: true, and the lease given back, if
   * {@code holder} still holds it; false, and nothing changed, if another holder has taken it over.
   */
  public static boolean endIfHeld(Connection c, String name, String holder) throws SQLException {
    Optional<Row> row = lockRow(c, name);
    if (row.isEmpty() || !holder.equals(row.get().holder)) {
      return false;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE leases SET holder = NULL, expires_ms = NULL WHERE lease_name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    }
    return true;
  }

  /** The live holder of a lease, if any. */
  public Optional<Holder> holder(String name) {
    return tx.run("reading the lease " + name, c -> {
      long now = clock.nowMillis(c);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT holder, epoch, expires_ms FROM leases WHERE lease_name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getString(1) == null) {
            return Optional.empty();
          }
          long expires = rs.getLong(3);
          return expires < now ? Optional.<Holder>empty()
              : Optional.of(new Holder(rs.getString(1), rs.getLong(2), expires - now));
        }
      }
    });
  }

  private record Row(String holder, long epoch, Long expiresMs) {}

  private static Optional<Row> lockRow(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT holder, epoch, expires_ms FROM leases WHERE lease_name = ? FOR UPDATE")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long expires = rs.getLong(3);
        return Optional.of(new Row(rs.getString(1), rs.getLong(2), rs.wasNull() ? null : expires));
      }
    }
  }

  /**
   * Fencing at a resource the holder writes to elsewhere (a remote's metadata database): records the
   * highest epoch seen under {@code fence}, inside the caller's transaction there, and refuses a write
   * with a lower one.
   */
  public static void fence(Connection c, String fence, long epoch, String work) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM lease_fences WHERE fence_name = ? FOR UPDATE")) {
      ps.setString(1, fence);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long seen = rs.getLong(1);
          if (seen > epoch) {
            throw new LeaseLostException(work + " lost its lease (a newer holder, epoch " + seen
                + ", has written here), so it committed nothing.");
          }
          if (seen == epoch) {
            return;
          }
          try (PreparedStatement up = c.prepareStatement("UPDATE lease_fences SET epoch = ? WHERE fence_name = ?")) {
            up.setLong(1, epoch);
            up.setString(2, fence);
            up.executeUpdate();
          }
          return;
        }
      }
    }
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO lease_fences (fence_name, epoch) VALUES (?, ?)")) {
      ins.setString(1, fence);
      ins.setLong(2, epoch);
      ins.executeUpdate();
    } catch (SQLException e) {
      throw new FanoutException(work + " raced another writer of " + fence + "; it is retried.", e);
    }
  }
}
