package dev.fanout.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fanout help [COMMAND …]}: the usage of any command, however deep ({@code fanout help instance add}). */
@Command(name = "help", description = "Show the usage of a command: fanout help [COMMAND...].")
final class HelpCommand implements Runnable {
  @Spec CommandSpec spec;
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, and its subcommands, to explain.")
  List<String> path = new ArrayList<>();

  @Override
  public void run() {
    CommandLine command = spec.root().commandLine();
    for (String name : path) {
      CommandLine sub = command.getSubcommands().get(name);
      if (sub == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "Unknown command '" + name + "' in 'fanout "
            + String.join(" ", path) + "'; 'fanout --help' lists the commands");
      }
      command = sub;
    }
    command.usage(spec.commandLine().getOut());
  }
}
