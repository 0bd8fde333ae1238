package dev.fanout.copy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bandwidth limit of one destination ({@code instance add --bandwidth}), shared by every copy to it
 * that runs in this process: a server's workers, a mirror and a synchronous copy all draw from one
 * bucket, so thirty jobs at once move no more than the limit together. Processes do not share it: two
 * servers on one queue each keep to the limit.
 */
public final class DestinationBandwidth {
  private record Limit(long bytesPerSecond, Throttle throttle) {}

  private static final Map<String, Limit> LIMITS = new ConcurrentHashMap<>();

  private DestinationBandwidth() {}

  /**
   * The shared throttle of a destination, or null for no limit.
   *
   * @param destination what identifies the destination for every instance of this process (its
   *     metadata database's URL), so two local names for one destination share one limit
   */
  static Throttle of(String destination, long bytesPerSecond) {
    if (bytesPerSecond <= 0) {
      LIMITS.remove(destination);
      return null;
    }
    // a changed limit (instance re-added with another --bandwidth) starts a new bucket
    return LIMITS.compute(destination, (k, old) -> old != null && old.bytesPerSecond() == bytesPerSecond ? old
        : new Limit(bytesPerSecond, new Throttle(bytesPerSecond))).throttle();
  }
}
