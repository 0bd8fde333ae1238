package dev.fanout.cli;

import picocli.CommandLine;

/** The {@code fanout} launcher's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // before any H2 class loads: H2 reads its bind address once
    dev.fanout.metadata.EmbeddedH2.bindToLoopback();
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; tests call this in-process. */
  public static int run(String... args) {
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new FanoutCommand());
    withHelp(cli);
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(ErrorReporter::parameterError);
    // ranges are part of the command line: checked before any command opens its home
    cli.setExecutionStrategy(parsed -> {
      Bounds.check(parsed);
      return new CommandLine.RunLast().execute(parsed);
    });
    return cli.execute(args);
  }

  /**
   * {@code --help}, {@code -h} (and {@code --version}) on every command and subcommand, with each option's
   * default in its description, so no command has to remember to ask for them.
   */
  static void withHelp(CommandLine command) {
    command.getCommandSpec().mixinStandardHelpOptions(true);
    command.getCommandSpec().usageMessage().showDefaultValues(true);
    command.getSubcommands().values().stream().distinct().forEach(Main::withHelp);
  }
}
