package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** A new user discovers every command and option from the tool itself. */
class HelpTest {
  @TempDir Path tmp;

  /** Every command path of the tree: [], [import], [instance, add], … */
  private static List<List<String>> commandPaths() {
    CommandLine root = new CommandLine(new FanoutCommand());
    Main.withHelp(root);
    List<List<String>> out = new ArrayList<>();
    walk(root, new ArrayList<>(), out);
    return out;
  }

  private static void walk(CommandLine cmd, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cmd.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) { // aliases once
        List<String> next = new ArrayList<>(path);
        next.add(name);
        walk(sub, next, out);
      }
    });
  }

  @Test
  void everyCommandAnswersHelpAndDashHAndHelpCommandWithItsUsageAndExitsZero() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    List<List<String>> paths = commandPaths();
    assertThat(paths).hasSizeGreaterThan(40);
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Result r = fanout.run(args.toArray(String[]::new));
        assertThat(r.code()).as("fanout %s: %s", args, r.err()).isZero();
        assertThat(r.out()).as("fanout %s", args).contains("Usage: fanout").contains("-h, --help");
      }
      if (!path.isEmpty() && !path.get(0).equals("help")) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(path);
        Result r = fanout.run(args.toArray(String[]::new));
        assertThat(r.code()).as("fanout %s", args).isZero();
        assertThat(r.out()).contains("Usage: fanout " + String.join(" ", path));
      }
    }
    // nothing was set up by asking for help
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  @Test
  void everyOptionAndParameterSaysWhatItIs() {
    CommandLine root = new CommandLine(new FanoutCommand());
    Main.withHelp(root);
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(root, undocumented);
    assertThat(undocumented).isEmpty();
  }

  private static void collectUndocumented(CommandLine cmd, List<String> out) {
    String where = cmd.getCommandSpec().qualifiedName();
    if (cmd.getCommandSpec().usageMessage().description().length == 0) {
      out.add(where);
    }
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      if (o.description().length == 0 || o.description()[0].isBlank()) {
        out.add(where + " " + o.longestName());
      }
    }
    for (PositionalParamSpec p : cmd.getCommandSpec().positionalParameters()) {
      if (p.description().length == 0 || p.description()[0].isBlank()) {
        out.add(where + " " + p.paramLabel());
      }
    }
    cmd.getSubcommands().values().stream().distinct().forEach(sub -> collectUndocumented(sub, out));
  }

  @Test
  void aWrongOptionIsOneSentenceAndExitTwo() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    Result r = fanout.run("import", "--table", "a.b", "--tabel", "x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("Unknown options: '--tabel'").contains("see 'fanout import --help'");
    Result help = fanout.run("help", "instance", "ad");
    assertThat(help.code()).isEqualTo(2);
    assertThat(help.err()).contains("Unknown command 'ad'");
  }

  @Test
  void bashCompletionIsGeneratedFromTheCommandTree() {
    Result r = new FanoutCli(tmp.resolve("home")).run("completion", "bash");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F").contains("failover").contains("--incr-mode");
    assertThat(new FanoutCli(tmp.resolve("home")).run("completion", "fish").code()).isEqualTo(2);
  }
}
