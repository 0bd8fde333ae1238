package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.replication.Backoff;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.server.TlsKeystore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code fanout server}: runs the copy workers and the HTTP API until stopped. SIGTERM or Ctrl-C shut it
 * down gracefully: running copies get the grace period to finish, then are given back to the queue.
 */
@Command(name = "server", description = {
    "Run the copy workers and the HTTP API (asynchronous copies, status, metrics).",
    "It listens on 127.0.0.1 (this host only) unless --bind says otherwise; --tls-keystore serves HTTPS."})
final class ServerCommand implements Callable<Integer> {
  /** Where the keystore's password may come from instead of stdin; never from the command line. */
  static final String TLS_PASSWORD_ENV = "FANOUT_TLS_KEYSTORE_PASSWORD";

  @ParentCommand FanoutCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "HTTP port (default ${DEFAULT-VALUE}; 0 for any free port).")
  int port = ServerSettings.DEFAULT_PORT;
  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}:"
      + " this host only; 0.0.0.0 for every interface).")
  String bind = ServerSettings.LOOPBACK;
  @Option(names = "--tls-keystore", paramLabel = "PATH", description = "PKCS12 keystore with the server's key and"
      + " certificate: the API and the status page are served over HTTPS.")
  Path tlsKeystore;
  @Option(names = "--tls-keystore-password-stdin", description = "Read the keystore's password from standard input"
      + " (or set " + TLS_PASSWORD_ENV + "; it is never taken from the command line).")
  boolean tlsPasswordStdin;
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
    checkBind();
    ServerSettings settings = ServerSettings.builder()
        .bind(bind)
        .tls(tls())
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
    System.out.println("Fanout server listening on " + server.url() + " (" + reach(server) + ") with " + workers
        + " copy workers (API token: " + root.home().dir().resolve("api-token") + "; the status page at / asks for it"
        + " once)");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** Who can reach the server, said at its start so nobody exposes it without knowing. */
  private String reach(FanoutServer server) {
    if (server.loopbackOnly()) {
      return "this host only, as by default; --bind 0.0.0.0 listens on every interface";
    }
    return tlsKeystore != null ? "reachable from other hosts, over HTTPS"
        : "reachable from other hosts over plain HTTP: tokens cross the network unencrypted; --tls-keystore serves"
            + " HTTPS";
  }

  private void checkBind() {
    try {
      InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--bind '" + bind + "' is not an address of this host"
          + " (127.0.0.1 for this host only, 0.0.0.0 for every interface)");
    }
  }

  /** The TLS context of {@code --tls-keystore}, its password from stdin or the environment; null without one. */
  private SSLContext tls() {
    if (tlsKeystore == null) {
      if (tlsPasswordStdin) {
        throw new ParameterException(spec.commandLine(), "--tls-keystore-password-stdin needs --tls-keystore");
      }
      return null;
    }
    String fromEnv = System.getenv(TLS_PASSWORD_ENV);
    if (!tlsPasswordStdin && fromEnv == null) {
      throw new ParameterException(spec.commandLine(), "--tls-keystore needs its password, on standard input"
          + " with --tls-keystore-password-stdin or in " + TLS_PASSWORD_ENV);
    }
    String password = tlsPasswordStdin ? Stdin.readSecret("--tls-keystore-password-stdin", "keystore password")
        : fromEnv;
    return TlsKeystore.load(tlsKeystore, password.toCharArray());
  }

  private Backoff backoff() {
    try {
      return new Backoff(Durations.parse(retryBase, "--retry-base"), Durations.parse(retryCap, "--retry-cap"));
    } catch (IllegalArgumentException e) {
      throw new dev.fanout.failure.BadInputException("--retry-base must not be above --retry-cap.");
    }
  }
}
