package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import java.time.Duration;
import java.util.Locale;

/** Parses durations such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 90d} or ISO {@code PT2H}. */
final class Durations {
  private Durations() {}

  static Duration parse(String text, String option) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.startsWith("p")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        d = switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw new NumberFormatException();
        };
      }
      if (d.isNegative()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (RuntimeException e) {
      throw new FanoutException(option + " '" + text + "' is not a duration such as 500ms, 30s, 10m, 2h, 90d or PT2H.");
    }
  }
}
