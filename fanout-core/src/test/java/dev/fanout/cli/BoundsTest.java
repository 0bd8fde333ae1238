package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option that takes a number, a duration or a size has a range, so a new one cannot be forgotten. */
class BoundsTest {
  /** Options of type String that take a duration or a size, known by the words of their help. */
  private static final Set<String> UNIT_WORDS = Set.of("duration", "e.g. 30s", "e.g. 90d", "50M", "(default 1h)",
      "(default 500ms)", "(default 30s)", "(default 5s)", "(default 10m)", "(default 10s)");

  @Test
  void everyNumericDurationOrSizeOptionOfEveryCommandHasARange() {
    Set<String> unbounded = new TreeSet<>();
    Set<String> seen = new TreeSet<>();
    walk(new CommandLine(new FanoutCommand()), unbounded, seen);
    assertThat(unbounded).as("options without a range in Bounds.OPTIONS").isEmpty();
    assertThat(seen).as("ranges in Bounds.OPTIONS that no command takes").containsAll(Bounds.OPTIONS.keySet());
  }

  private static void walk(CommandLine command, Set<String> unbounded, Set<String> seen) {
    for (OptionSpec option : command.getCommandSpec().options()) {
      seen.add(option.longestName());
      if (takesAQuantity(option) && !Bounds.OPTIONS.containsKey(option.longestName())) {
        unbounded.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
      }
    }
    command.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, unbounded, seen));
  }

  private static boolean takesAQuantity(OptionSpec option) {
    Class<?> type = option.type();
    if (type == int.class || type == long.class || Number.class.isAssignableFrom(type)
        || type == java.time.Duration.class) {
      return true;
    }
    String help = String.join(" ", option.description());
    return type == String.class && UNIT_WORDS.stream().anyMatch(help::contains);
  }
}
