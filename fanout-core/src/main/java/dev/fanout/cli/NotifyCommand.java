package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.notify.EventNames;
import dev.fanout.notify.HttpUrls;
import dev.fanout.notify.NotificationEndpoint;
import dev.fanout.notify.NotificationOutbox;
import dev.fanout.notify.NotificationRepository;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fanout notify}: the HTTP endpoints that hear this instance's events (webhooks). */
@Command(name = "notify", description = "Post events (copy.done, import.failed, ...) as JSON to HTTP endpoints.",
    subcommands = {NotifyCommand.Add.class, NotifyCommand.ListEndpoints.class, NotifyCommand.Remove.class})
final class NotifyCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", description = {
      "Post the chosen events to a URL as JSON (event, time in UTC, instance, table, destination, import id,"
          + " rows, bytes, lag, message, error).",
      "Events wait in an outbox in the metadata database until the endpoint answers 2xx: 'fanout server' delivers"
          + " them with retries and back-off, and every command tries once at its end (2 s at most).",
      "At most " + NotificationOutbox.LIMIT + " undelivered events are kept per endpoint: when it is full the"
          + " oldest are dropped, counted ('fanout notify list') and logged."})
  static final class Add implements Callable<Integer> {
    @ParentCommand NotifyCommand parent;
    @Option(names = "--url", required = true, description = "http:// or https:// URL to POST to.") String url;
    @Option(names = "--events", description = "Comma-separated kind.phase names, kind one of import, stage, load,"
        + " copy, mirror, role-switch, verify and phase one of started, done, failed, note (default: every"
        + " kind's done and failed).")
    String events;
    @Option(names = "--secret-stdin", description = "Read a secret from stdin; each post then carries"
        + " X-Fanout-Signature: sha256=<HMAC-SHA256 of the body>.")
    boolean secretStdin;

    @Override
    public Integer call() {
      // everything is checked before anything is stored
      HttpUrls.parse(url);
      Set<String> names = events == null ? EventNames.defaults() : EventNames.parse(events);
      String secret = secretStdin ? Stdin.readSecret("--secret-stdin", "secret") : null;
      if (secret != null && secret.isBlank()) {
        throw new FanoutException("--secret-stdin was given but the secret read from standard input is empty.");
      }
      try (Instance instance = parent.root.open()) {
        String shown = HttpUrls.redact(url.trim());
        long id = new NotificationRepository(instance.transactions()).addEndpoint(
            instance.cipher().encrypt(url.trim()), shown, names,
            secret == null ? null : instance.cipher().encrypt(secret));
        System.out.println("Notification endpoint " + id + ": " + shown + " hears " + String.join(",", names)
            + (secret == null ? "" : " (signed)") + ".");
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List the endpoints, their events, undelivered and dropped events.")
  static final class ListEndpoints implements Callable<Integer> {
    @ParentCommand NotifyCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        NotificationRepository repository = new NotificationRepository(instance.transactions());
        for (NotificationEndpoint e : repository.endpoints()) {
          System.out.println(e.id() + "\t" + e.shownUrl() + "\t" + String.join(",", e.events()) + "\tundelivered "
              + repository.pending(e.id()) + ", dropped " + e.dropped() + (e.sealedSecret() == null ? "" : ", signed"));
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove an endpoint and the events still waiting for it.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand NotifyCommand parent;
    @Parameters(index = "0", description = "endpoint id (see 'fanout notify list')") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        new NotificationRepository(instance.transactions()).removeEndpoint(id);
        System.out.println("Notification endpoint " + id + " removed.");
        return 0;
      }
    }
  }
}
