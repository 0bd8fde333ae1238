package dev.fanout.copy;

import java.util.function.BooleanSupplier;

/**
 * A bandwidth limit shared by every stream of a copier: a token bucket refilled at
 * {@code bytesPerSecond}. It starts empty and holds at most one second of tokens, so after a pause a
 * burst lasts at most one second. A stream takes its bytes before it moves them, going into debt if
 * needed, and then sleeps the debt off; so several streams together never exceed the rate on average.
 */
final class Throttle {
  private static final long SLICE_NANOS = 50_000_000;
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

  /**
   * Blocks until {@code bytes} may pass, or throws {@link InterruptedException} when the thread is
   * interrupted or {@code calledOff} turns true (checked every few tens of milliseconds: some Hadoop
   * code swallows interrupts, so a flag is the reliable way to stop a stream).
   */
  void acquire(int bytes, BooleanSupplier calledOff) throws InterruptedException {
    long waitNanos;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(bytesPerSecond, tokens + (now - last) * (double) bytesPerSecond / 1e9);
      last = now;
      tokens -= bytes;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
    }
    long until = System.nanoTime() + waitNanos;
    for (long left = waitNanos; left > 0; left = until - System.nanoTime()) {
      if (calledOff.getAsBoolean()) {
        throw new InterruptedException("the copy was called off");
      }
      long slice = Math.min(left, SLICE_NANOS);
      Thread.sleep(slice / 1_000_000, (int) (slice % 1_000_000));
    }
  }
}
