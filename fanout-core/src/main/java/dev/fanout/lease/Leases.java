package dev.fanout.lease;

import dev.fanout.failure.FanoutException;
import java.time.Duration;

/**
 * How long a lease lasts without renewal: how soon work of a holder that died or stalled is taken over.
 * {@code FANOUT_LEASE_SECONDS} sets it for every process of an instance (they must agree); 60 s by default.
 */
public final class Leases {
  private static final Duration DEFAULT = Duration.ofSeconds(60);

  private Leases() {}

  public static Duration length() {
    String text = System.getenv("FANOUT_LEASE_SECONDS");
    if (text == null || text.isBlank()) {
      return DEFAULT;
    }
    try {
      long s = Long.parseLong(text.trim());
      if (s >= 1 && s <= 86_400) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // falls through to the sentence below
    }
    throw new FanoutException("FANOUT_LEASE_SECONDS must be a whole number of seconds from 1 to 86400, not '"
        + text + "'.");
  }
}
