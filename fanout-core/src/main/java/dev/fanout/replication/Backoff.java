package dev.fanout.replication;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter for failed copy jobs: the n-th failure waits between half and all of
 * {@code min(cap, base * 2^(n-1))}, so jobs that failed together (one destination down) do not all
 * come back at the same instant.
 */
public record Backoff(Duration base, Duration cap) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  public Backoff {
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("back-off base must be positive and not above its cap");
    }
  }

  public Duration delayAfter(int failures) {
    long ceiling = base.toMillis();
    for (int i = 1; i < failures && ceiling < cap.toMillis(); i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap.toMillis());
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
