package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.replication.Backoff;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fanout server}: runs the copy workers and the HTTP API until stopped. SIGTERM or Ctrl-C shut it
 * down gracefully: running copies get the grace period to finish, then are given back to the queue.
 */
@Command(name = "server", description = "Run the copy workers and the HTTP API (asynchronous copies, status, metrics).")
final class ServerCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

  @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}; 0 for any free port).")
  int port = ServerSettings.DEFAULT_PORT;
  @Option(names = "--workers", description = "Copy jobs run at once (default ${DEFAULT-VALUE}).") int workers = 4;
  @Option(names = "--poll", description = "How often an idle server looks for due jobs (default 500ms).") String poll = "500ms";
  @Option(names = "--lease", description = "How long a job stays with a server that stops renewing it (default 30s).")
  String lease = "30s";
  @Option(names = "--retry-base", description = "Wait after a job's first failure, doubled each time (default 5s).")
  String retryBase = "5s";
  @Option(names = "--retry-cap", description = "Longest wait between tries (default 10m).") String retryCap = "10m";
  @Option(names = "--flag-after", description = "Failed tries after which a job is flagged; it is still retried (default ${DEFAULT-VALUE}).")
  int flagAfter = 5;
  @Option(names = "--grace", description = "At shutdown, how long running copies may take to finish (default 30s).")
  String grace = "30s";

  @Override
  public Integer call() throws InterruptedException {
    ServerSettings settings = ServerSettings.builder()
        .port(port)
        .workers(workers)
        .poll(Durations.parse(poll, "--poll"))
        .lease(Durations.parse(lease, "--lease"))
        .backoff(backoff())
        .flagAfterAttempts(flagAfter)
        .grace(Durations.parse(grace, "--grace"))
        .build();
    Instance instance = Instance.open(root.home(), Cluster.defaultConfiguration(), false);
    FanoutServer server;
    try {
      server = FanoutServer.start(instance, settings);
    } catch (RuntimeException e) {
      instance.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      instance.close();
      stopped.countDown();
    }, "fanout-server-shutdown"));
    System.out.println("Fanout server listening on http://0.0.0.0:" + server.port() + " with " + workers
        + " copy workers (API token: " + root.home().dir().resolve("api-token") + "; the status page at / asks for it"
        + " once)");
    System.out.flush();
    stopped.await();
    return 0;
  }

  private Backoff backoff() {
    try {
      return new Backoff(Durations.parse(retryBase, "--retry-base"), Durations.parse(retryCap, "--retry-cap"));
    } catch (IllegalArgumentException e) {
      throw new dev.fanout.failure.BadInputException("--retry-base must not be above --retry-cap.");
    }
  }
}
