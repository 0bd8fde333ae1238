package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The range of every option that takes a number, a duration or a size, checked before any command runs:
 * a value out of range is a bad command line (exit 2, one sentence), so no command starts, opens its home
 * or changes anything with it. One table, so an option's range is written once even where several
 * commands take it ({@code --port}, {@code --timeout}, {@code --flag-after}); {@code BoundsTest} makes
 * sure no numeric option is missing from it.
 */
final class Bounds {
  private Bounds() {}

  /** One option's range: the problem with a value as the user typed it, if any. */
  interface Range {
    Optional<String> problem(String option, Object value);
  }

  static final Map<String, Range> OPTIONS = Map.ofEntries(
      Map.entry("--port", number(0, 65_535)),
      Map.entry("--workers", number(1, 256)),
      Map.entry("--flag-after", number(1, 1_000)),
      Map.entry("--limit", number(1, 100_000)),
      Map.entry("--retries", number(0, 100)),
      Map.entry("--sessions", number(1, 256)),
      Map.entry("--max-sessions", number(1, 256)),
      Map.entry("--threads", number(1, 64)),
      Map.entry("--validate-diff", number(0, Long.MAX_VALUE)),
      Map.entry("--poll", duration(Duration.ofMillis(10), Duration.ofHours(1))),
      Map.entry("--lease", duration(Duration.ofSeconds(1), Duration.ofDays(1))),
      Map.entry("--retry-base", duration(Duration.ofMillis(1), Duration.ofDays(1))),
      Map.entry("--retry-cap", duration(Duration.ofMillis(1), Duration.ofDays(7))),
      Map.entry("--grace", duration(Duration.ZERO, Duration.ofHours(24))),
      Map.entry("--timeout", duration(Duration.ZERO, Duration.ofDays(30))),
      Map.entry("--interval", duration(Duration.ofMillis(10), Duration.ofDays(1))),
      Map.entry("--valid-for", duration(Duration.ofHours(1), Duration.ofDays(3_650))),
      // Airflow takes these as plain seconds too
      Map.entry("--poke-interval", seconds(Duration.ofSeconds(1), Duration.ofDays(1))),
      Map.entry("--sensor-timeout", seconds(Duration.ofSeconds(1), Duration.ofDays(30))),
      Map.entry("--bandwidth", size(1L << 10, 1L << 40, "1K", "1024G")));

  /** Refuses the first option of the command line (of any subcommand) whose value is out of its range. */
  static void check(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      for (OptionSpec option : level.matchedOptions()) {
        Range range = OPTIONS.get(option.longestName());
        Object value = option.getValue();
        if (range != null && value != null) {
          CommandLine command = level.commandSpec().commandLine();
          range.problem(option.longestName(), value).ifPresent(p -> {
            throw new ParameterException(command, p);
          });
        }
      }
    }
  }

  static Range number(long min, long max) {
    return (option, value) -> {
      long n = ((Number) value).longValue();
      return n >= min && n <= max ? Optional.empty()
          : Optional.of(option + " must be " + (max == Long.MAX_VALUE ? "at least " + min
              : "between " + min + " and " + max) + ", not " + n);
    };
  }

  static Range duration(Duration min, Duration max) {
    return parsed(text -> Durations.parse(text, ""), min, max);
  }

  static Range seconds(Duration min, Duration max) {
    return parsed(text -> AirflowCommand.Generate.seconds(text, ""), min, max);
  }

  private static Range parsed(Function<String, Duration> parse, Duration min, Duration max) {
    return (option, value) -> {
      Duration d;
      try {
        d = parse.apply(value.toString());
      } catch (FanoutException e) {
        return Optional.of(option + " '" + value + "' is not a duration such as 500ms, 30s, 10m, 2h, 90d or PT2H");
      }
      return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? Optional.empty()
          : Optional.of(option + " must be between " + text(min) + " and " + text(max) + ", not " + value);
    };
  }

  static Range size(long min, long max, String minText, String maxText) {
    return (option, value) -> {
      long bytes;
      try {
        bytes = Sizes.parseBytes(value.toString(), option);
      } catch (FanoutException e) {
        return Optional.of(option + " '" + value + "' is not a size such as 500K, 50M or 1G");
      }
      return bytes >= min && bytes <= max ? Optional.empty()
          : Optional.of(option + " must be between " + minText + " and " + maxText + ", not " + value);
    };
  }

  /** A bound as a person writes it: 10ms, 1s, 30d. */
  private static String text(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() % 86_400_000 == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 1_000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }
}
