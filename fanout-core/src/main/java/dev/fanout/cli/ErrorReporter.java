package dev.fanout.cli;

import dev.fanout.failure.BadInputException;
import dev.fanout.failure.FanoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns every failure into one sentence on stderr and a non-zero exit code: 1 for failures a user can
 * act on, 2 for bad command lines and values out of range ({@link Bounds}, {@link BadInputException}), 3 for anything unexpected (its stack trace goes to the log at debug).
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReporter.class);
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int UNEXPECTED = 3;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof BadInputException) {
      LOG.debug("bad input", e);
      cmd.getErr().println("fanout: " + e.getMessage());
      return USAGE;
    }
    if (e instanceof FanoutException) {
      LOG.debug("command failed", e);
      cmd.getErr().println("fanout: " + e.getMessage());
      return FAILED;
    }
    // one sentence for the person; the trace is for whoever debugs it, so it goes to the log at debug only
    LOG.debug("unexpected failure", e);
    cmd.getErr().println("fanout: unexpected failure (" + e.getClass().getSimpleName() + "): " + e.getMessage()
        + " (FANOUT_LOG_LEVEL=DEBUG shows where it happened).");
    return UNEXPECTED;
  }

  static int parameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("fanout: " + e.getMessage() + "; see '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
    return USAGE;
  }
}
