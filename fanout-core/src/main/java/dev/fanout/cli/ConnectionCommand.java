package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.security.Credentials;
import dev.fanout.jdbc.JdbcUrls;
import dev.fanout.source.SourceSessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "connection", description = "Manage source database connections (jdbc_connections).",
    subcommands = {ConnectionCommand.Add.class, ConnectionCommand.ListConnections.class, ConnectionCommand.Remove.class})
final class ConnectionCommand implements Runnable {
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", description = "Add a source; the connection is tested before it is stored.")
  static final class Add implements Callable<Integer> {
    @ParentCommand ConnectionCommand parent;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "Connection name.") String name;
    @Option(names = "--url", required = true, description = "JDBC URL of the source.") String url;
    @Option(names = "--user", description = "Database user.") String user = "";
    @Option(names = "--password-stdin", description = "Read the password from standard input.") boolean passwordStdin;
    @Option(names = "--max-sessions", description = "Most parallel sessions an import may open (default 4).") int maxSessions = 4;

    @Override
    public Integer call() {
      UrlOptions.withoutPassword(spec, url, "--url", "--password-stdin");
      if (!ALIAS.matcher(name).matches()) {
        throw new FanoutException("Connection name '" + name + "' is not valid: letters, digits, '_', '.', '-'.");
      }
      if (maxSessions < 1) {
        throw new FanoutException("--max-sessions must be at least 1.");
      }
      try (Instance instance = parent.root.open()) {
        if (instance.connections().find(name).isPresent()) {
          throw new FanoutException("Connection '" + name + "' already exists; remove it first to change it.");
        }
        Credentials credentials = new Credentials(user, passwordStdin ? Stdin.readSecret() : "");
        try (Connection ignored = new SourceSessions(name, url, credentials).open()) {
          // opened and closed: the source accepts these credentials
        } catch (SQLException e) {
          // close() failing after a successful open is not a reason to refuse the connection
        }
        instance.connections().add(new SourceConnection(name, url, credentials.seal(instance.cipher()), maxSessions));
        System.out.println("Added connection " + name + " (" + JdbcUrls.redact(url) + ")");
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List connections (credentials are never shown).")
  static final class ListConnections implements Callable<Integer> {
    @ParentCommand ConnectionCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        for (SourceConnection c : instance.connections().list()) {
          System.out.printf("%-20s %-60s max-sessions=%d%n", c.alias(), JdbcUrls.redact(c.jdbcUrl()), c.maxSessions());
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove a connection that no table uses.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand ConnectionCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The connection to remove.") String name;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        instance.connections().remove(name);
        System.out.println("Removed connection " + name);
        return 0;
      }
    }
  }
}
