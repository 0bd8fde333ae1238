package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.security.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout token create}: a new API token, written to a 0600 file (never printed). */
@Command(name = "token", description = "Manage the server API's tokens.", subcommands = TokenCommand.Create.class)
final class TokenCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "create", description = "Make a new API token and write it to a file readable only by you.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Option(names = "--valid-for", description = "How long it is valid, e.g. 90d or 12h (default 365d).") String validFor = "365d";
    @Option(names = "--file", description = "Where to write it (default <home>/api-token).") Path file;

    @Override
    public Integer call() {
      Duration validity = Durations.parse(validFor, "--valid-for");
      Path target = file != null ? file : parent.root.home().dir().resolve(ApiTokens.FILE_NAME);
      try (Instance instance = parent.root.open()) {
        instance.apiTokens().issue(validity, target);
      }
      System.out.println("Wrote a new API token to " + target + " (valid " + validity.toDays() + " days);"
          + " send it as 'Authorization: Bearer <token>'.");
      return 0;
    }
  }
}
