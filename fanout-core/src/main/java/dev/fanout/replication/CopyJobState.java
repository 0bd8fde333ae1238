package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where a copy job is in its life: WAITING → NEW → RUNNING → DONE, with FAILED between tries. */
public enum CopyJobState {
  /** Recorded with the staged import; runnable once this instance has loaded that import. */
  WAITING,
  NEW,
  RUNNING,
  /** The last try failed; tried again at the job's next attempt time. */
  FAILED,
  DONE,
  /** Its import was rejected here (its counts did not match), so there is nothing to deliver. */
  SUPERSEDED;

  /** The states of a job that still has to reach its destination. */
  public static final Set<CopyJobState> PENDING = EnumSet.of(WAITING, NEW, RUNNING, FAILED);

  public boolean pending() {
    return PENDING.contains(this);
  }

  public static CopyJobState of(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new FanoutException("Unknown job state '" + text + "'; use one of " + Arrays.toString(values()) + ".");
    }
  }
}
