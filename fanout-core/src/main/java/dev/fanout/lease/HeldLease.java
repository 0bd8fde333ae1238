package dev.fanout.lease;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.LeaseLostException;
import dev.fanout.metadata.UnitOfWork;
import dev.fanout.util.DaemonThreads;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A lease this process holds while its work runs. A heartbeat renews it three times per lease period; a
 * renewal refused (another holder took over) or impossible for longer than the lease (the database was
 * away) marks it lost and tells the holder. The work asks {@link #ensureHeld} at its checkpoints, and
 * every commit the lease protects calls {@link #checkHeld} in its own transaction, so a holder that
 * lost its lease commits nothing even if it never noticed.
 */
public final class HeldLease implements AutoCloseable {
  private final LeaseStore store;
  private final Lease lease;
  private final Duration length;
  private final String work;
  private final Runnable onLost;
  private final ScheduledExecutorService beat;
  private volatile boolean lost;
  private volatile long lastRenewedNanos = System.nanoTime();

  private HeldLease(LeaseStore store, Lease lease, Duration length, String work, Runnable onLost) {
    this.store = store;
    this.lease = lease;
    this.length = length;
    this.work = work;
    this.onLost = onLost;
    this.beat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fanout-lease"));
    long every = Math.max(1, length.toMillis() / 3);
    beat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes a lease for {@code work} (a phrase such as "The import of db.t"), or fails with a sentence
   * naming who holds it. A holder on this host whose process is gone is taken over at once.
   */
  public static HeldLease acquire(LeaseStore store, String name, Duration length, String work, Runnable onLost) {
    return tryAcquire(store, name, length, work, onLost).orElseThrow(() -> {
      // the holder's own expiry, not this process's lease length: a holder may use another length
      Optional<LeaseStore.Holder> holder = store.holder(name);
      return new FanoutException(work + " is running already (held by "
          + holder.map(LeaseStore.Holder::holder).orElse("another process") + "); wait for it to finish ("
          + holder.map(LeaseStore.Holder::runsOut).orElse("it has just ended; retry") + ").");
    });
  }

  /** Like {@link #acquire}, but empty instead of failing when another live holder has the lease. */
  public static Optional<HeldLease> tryAcquire(LeaseStore store, String name, Duration length, String work,
      Runnable onLost) {
    Optional<Lease> lease;
    try {
      lease = store.tryAcquire(name, LeaseOwners.newOwner(), length, LeaseOwners::diedOnThisHost);
    } catch (FanoutException e) {
      lease = Optional.empty(); // a concurrent first holder inserted the row at the same moment
    }
    return lease.map(l -> new HeldLease(store, l, length, work, onLost));
  }

  /**
   * Keeps renewing a lease already taken in another transaction (a copy job claimed with its queue row),
   * with the same loss detection.
   */
  public static HeldLease hold(LeaseStore store, Lease lease, Duration length, String work, Runnable onLost) {
    return new HeldLease(store, lease, length, work, onLost);
  }

  /** Stops the heartbeat without giving the lease back: the work's final commit gives it back itself. */
  public void stopRenewing() {
    beat.shutdownNow();
  }

  public Lease lease() {
    return lease;
  }

  public boolean lost() {
    return lost;
  }

  /** Fails with {@link LeaseLostException} if the heartbeat found the lease lost. */
  public void ensureHeld() {
    if (lost) {
      throw lostException();
    }
  }

  /** The fencing check, inside the transaction of the commit it protects. */
  public void checkHeld(Connection c) throws SQLException {
    ensureHeld();
    try {
      store.checkHeld(c, lease, work);
    } catch (LeaseLostException e) {
      markLost();
      throw e;
    }
  }

  /** The fencing check, inside a unit of work that commits what the lease protects. */
  public void checkHeld(UnitOfWork work) {
    work.run("checking the lease " + lease.name(), c -> {
      checkHeld(c);
      return null;
    });
  }

  /** A failure of the work after the lease was lost is reported as the loss, its real cause. */
  public RuntimeException explain(RuntimeException failure) {
    return lost && !(failure instanceof LeaseLostException) ? lostException() : failure;
  }

  private LeaseLostException lostException() {
    return new LeaseLostException(work + " lost its lease (" + lease.name() + ") while it was stalled, so it"
        + " committed nothing; the new holder does the work.");
  }

  private void renew() {
    if (lost) {
      return;
    }
    try {
      if (store.renew(lease, length)) {
        lastRenewedNanos = System.nanoTime();
      } else {
        markLost();
      }
    } catch (RuntimeException e) {
      // the database is away: the lease outlives two missed beats, not a whole period
      if (System.nanoTime() - lastRenewedNanos > length.toNanos()) {
        markLost();
      }
    }
  }

  private void markLost() {
    if (!lost) {
      lost = true;
      if (onLost != null) {
        onLost.run();
      }
    }
  }

  /** Stops renewing and gives the lease back (if it is still this holder's). */
  @Override
  public void close() {
    beat.shutdownNow();
    if (!lost) {
      try {
        store.release(lease);
      } catch (RuntimeException e) {
        // it runs out by itself
      }
    }
  }
}
