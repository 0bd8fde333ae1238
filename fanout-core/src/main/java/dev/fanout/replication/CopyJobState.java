package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a copy job is in its life: WAITING → NEW → RUNNING → DONE, with FAILED between tries. A failure
 * no retry can mend makes it FLAGGED until a person retries or cancels it; CANCELLED and SUPERSEDED end
 * it without delivering.
 */
public enum CopyJobState {
  /** Recorded with the staged import; runnable once this instance has loaded that import. */
  WAITING,
  NEW,
  RUNNING,
  /** The last try failed; tried again at the job's next attempt time. */
  FAILED,
  /** The last try failed in a way no retry can mend: not retried until a person says so. */
  FLAGGED,
  DONE,
  /** Its import was rejected here (its counts did not match), so there is nothing to deliver. */
  SUPERSEDED,
  /** A person dropped it ('fanout jobs cancel'); its destination misses what it carried. */
  CANCELLED;

  /**
   * The states of a job that still has to reach its destination: later jobs of its table to that
   * destination wait behind it, and so does the next increment.
   */
  public static final Set<CopyJobState> PENDING = EnumSet.of(WAITING, NEW, RUNNING, FAILED, FLAGGED);

  /** The states a person may cancel: pending, but not in a server's hands. */
  public static final Set<CopyJobState> CANCELLABLE = EnumSet.of(WAITING, NEW, FAILED, FLAGGED);

  public boolean pending() {
    return PENDING.contains(this);
  }

  /** The states as an SQL list, {@code ('A', 'B')}, for queries over {@code copy_jobs.state}. */
  static String sql(Set<CopyJobState> states) {
    return states.stream().map(s -> "'" + s.name() + "'").collect(java.util.stream.Collectors.joining(", ", "(", ")"));
  }

  public static CopyJobState of(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FanoutException("Unknown job state '" + text + "'; use one of " + Arrays.toString(values()) + ".");
    }
  }
}
