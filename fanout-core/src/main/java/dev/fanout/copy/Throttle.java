package dev.fanout.copy;

/**
 * A bandwidth limit shared by every stream of a copy: a token bucket refilled at {@code bytesPerSecond},
 * holding at most one second of tokens, so bursts stay short.
 */
final class Throttle {
  private final long bytesPerSecond;
  private double tokens;
  private long last;

  Throttle(long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bandwidth must be positive");
    }
    this.bytesPerSecond = bytesPerSecond;
    this.last = System.nanoTime();
  }

  /** Blocks until {@code bytes} may pass. */
  void acquire(int bytes) throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(bytesPerSecond, tokens + (now - last) * bytesPerSecond / 1e9);
      last = now;
      tokens -= bytes;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
    }
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
