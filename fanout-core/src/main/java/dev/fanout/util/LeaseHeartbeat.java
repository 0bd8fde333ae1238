package dev.fanout.util;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews a lease three times per lease period while the work runs, so that a lease outlives two missed
 * beats and runs out soon after its holder dies.
 */
public final class LeaseHeartbeat implements AutoCloseable {
  private final ScheduledExecutorService beat;

  public LeaseHeartbeat(String threadName, Duration lease, Runnable renew) {
    this.beat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
    long every = lease.toMillis() / 3;
    beat.scheduleAtFixedRate(() -> {
      try {
        renew.run();
      } catch (RuntimeException e) {
        // the next beat tries again
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    beat.shutdownNow();
  }
}
