package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import java.util.Locale;

/** Parses sizes such as {@code 500K}, {@code 50M}, {@code 1G} (powers of 1024) or plain bytes. */
final class Sizes {
  private Sizes() {}

  static long parseBytes(String text, String option) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit = switch (t.charAt(t.length() - 1)) {
        case 'K' -> 1L << 10;
        case 'M' -> 1L << 20;
        default -> 1L << 30;
      };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new FanoutException(option + " '" + text + "' is not a size such as 500K, 50M or 1G.");
    }
  }
}
