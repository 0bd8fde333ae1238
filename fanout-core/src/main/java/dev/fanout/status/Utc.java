package dev.fanout.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times and durations as people read them here: UTC ISO-8601 to the second, and "2h 5m". */
public final class Utc {
  private Utc() {}

  /** {@code 2026-12-05T13:02:11Z}, or "-" for no time. */
  public static String text(Instant t) {
    return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A lag or an age, to the largest two units: "45s", "12m 3s", "2h", "3d 4h". */
  public static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    } else if (s < 3600) {
      return two(s / 60, "m", s % 60, "s");
    } else if (s < 86400) {
      return two(s / 3600, "h", s % 3600 / 60, "m");
    }
    return two(s / 86400, "d", s % 86400 / 3600, "h");
  }

  private static String two(long big, String bigUnit, long small, String smallUnit) {
    return big + bigUnit + (small == 0 ? "" : " " + small + smallUnit);
  }
}
