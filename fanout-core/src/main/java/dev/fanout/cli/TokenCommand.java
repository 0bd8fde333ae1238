package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ApiTokenRepository;
import dev.fanout.security.ApiTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code fanout token create | list | revoke}: the server API's tokens. A token is written once to a
 * 0600 file and shown nowhere else, not even in part.
 */
@Command(name = "token", description = "Manage the server API's tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  private Path homeFile() {
    return root.home().dir().resolve(ApiTokens.FILE_NAME);
  }

  @Command(name = "create", description = {"Make a new API token and write it to a file readable only by you.",
      "A file holding a token still valid is not overwritten without --force."})
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Spec CommandSpec spec;
    @Option(names = "--valid-for", description = "How long it is valid, more than zero, e.g. 90d or 12h (default 365d).")
    String validFor = "365d";
    @Option(names = "--file", description = "Where to write it (default <home>/api-token).") Path file;
    @Option(names = "--force", description = "Overwrite the file even if the token in it is still valid (clients"
        + " using that token keep working until it is revoked).")
    boolean force;

    @Override
    public Integer call() {
      Duration validity = validity();
      Path target = file != null ? file : parent.homeFile();
      try (Instance instance = parent.root.open()) {
        ApiTokens tokens = instance.apiTokens();
        if (!force) {
          tokens.checkReplaceable(target);
        }
        tokens.issue(validity, target);
      }
      System.out.println("Wrote a new API token to " + target + " (valid " + describe(validity) + ");"
          + " send it as 'Authorization: Bearer <token>'.");
      return 0;
    }

    /** A token valid for no time could never be used: a bad command line, not a token. */
    private Duration validity() {
      Duration d;
      try {
        d = Durations.parse(validFor, "--valid-for");
      } catch (FanoutException e) {
        d = Duration.ZERO; // negative or unreadable: refused below as one sentence
      }
      if (d.isZero() || d.isNegative()) {
        throw new ParameterException(spec.commandLine(), "--valid-for '" + validFor + "' must be a time longer than"
            + " zero, such as 12h or 90d");
      }
      return d;
    }

    private static String describe(Duration d) {
      return d.toDays() >= 1 ? d.toDays() + " days" : d.toHours() >= 1 ? d.toHours() + " hours"
          : d.toMinutes() >= 1 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
    }
  }

  @Command(name = "list", description = "List the API tokens: id, created, expires, state, and which one is in"
      + " <home>/api-token (never a token itself, nor any part of it).")
  static final class ListTokens implements Callable<Integer> {
    @ParentCommand TokenCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        ApiTokens tokens = instance.apiTokens();
        List<ApiTokenRepository.Token> all = tokens.list();
        Optional<Long> inHome = tokens.inFile(parent.homeFile()).map(ApiTokenRepository.Token::id);
        if (all.isEmpty()) {
          System.out.println("No API tokens; 'fanout token create' makes one.");
          return 0;
        }
        Instant now = Instant.now();
        System.out.printf("%-6s %-20s %-20s %-8s %s%n", "ID", "CREATED", "EXPIRES", "STATE", "FILE");
        for (ApiTokenRepository.Token t : all) {
          System.out.printf("%-6d %-20s %-20s %-8s %s%n", t.id(), UTC.format(t.created()), UTC.format(t.expires()),
              t.validAt(now) ? "valid" : "expired", inHome.filter(id -> id == t.id()).map(id -> parent.homeFile()
                  .toString()).orElse(""));
        }
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke an API token: the server refuses it from the next request on,"
      + " and ends the status page sessions opened with it.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Parameters(paramLabel = "ID", description = "The token's id, as 'fanout token list' shows it.") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        instance.apiTokens().revoke(id);
      }
      System.out.println("Revoked API token " + id + "; the server refuses it from now on.");
      return 0;
    }
  }
}
