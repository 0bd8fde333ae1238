package dev.fanout.cli;

import picocli.CommandLine;

/** The {@code fanout} launcher's entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line and returns its exit code; tests call this in-process. */
  public static int run(String... args) {
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new FanoutCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setParameterExceptionHandler(ErrorReporter::parameterError);
    return cli.execute(args);
  }
}
