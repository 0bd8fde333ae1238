package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TableName;
import dev.fanout.util.LeaseHeartbeat;
import dev.fanout.util.LeaseOwners;
import java.time.Duration;

/** The lease of one table's sync to one destination: a second sync of the same pair waits or is refused. */
final class MirrorLock implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(60);
  private final MirrorStateRepository states;
  private final TableName table;
  private final String destination;
  private final String owner;
  private final LeaseHeartbeat heartbeat;

  private MirrorLock(MirrorStateRepository states, TableName table, String destination, String owner) {
    this.states = states;
    this.table = table;
    this.destination = destination;
    this.owner = owner;
    this.heartbeat = new LeaseHeartbeat("fanout-sync-lock", LEASE,
        () -> states.tryLease(table, destination, owner, LEASE));
  }

  static MirrorLock acquire(MirrorStateRepository states, TableName table, String destination) {
    String owner = LeaseOwners.newOwner();
    boolean taken;
    try {
      taken = states.tryLease(table, destination, owner, LEASE);
    } catch (FanoutException e) {
      taken = false; // a concurrent first sync inserted the row at the same moment
    }
    if (!taken) {
      throw new FanoutException("A sync of " + table + " to " + destination + " is running already; wait for it"
          + " (a crashed sync releases it within " + LEASE.toSeconds() + " s).");
    }
    return new MirrorLock(states, table, destination, owner);
  }

  @Override
  public void close() {
    heartbeat.close();
    states.releaseLease(table, destination, owner);
  }
}
