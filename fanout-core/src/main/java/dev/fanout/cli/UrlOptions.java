package dev.fanout.cli;

import dev.fanout.jdbc.JdbcUrls;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Checks on JDBC URLs given on the command line. */
final class UrlOptions {
  private UrlOptions() {}

  /**
   * Refuses a URL that carries a password: command lines end up in shell histories, process listings and
   * scheduler logs, and a stored URL is shown by lists and errors. The password goes through stdin instead.
   */
  static String withoutPassword(CommandSpec spec, String url, String option, String passwordOption) {
    if (JdbcUrls.carriesPassword(url)) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " carries a password ("
          + JdbcUrls.redact(url) + "); leave it out of the URL and give it with " + passwordOption + ", so it is"
          + " stored encrypted and never shown");
    }
    return url;
  }
}
