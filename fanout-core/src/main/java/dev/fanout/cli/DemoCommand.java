package dev.fanout.cli;

import dev.fanout.config.FanoutHome;
import dev.fanout.demo.DemoClusters;
import dev.fanout.demo.DemoSource;
import dev.fanout.failure.FanoutException;
import dev.fanout.imports.Importer;
import dev.fanout.imports.TableRegistration;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.metadata.EtlMode;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.IncrMode;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.security.ApiTokens;
import dev.fanout.security.Credentials;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.verify.Verifier;
import dev.fanout.verify.VerifyReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fanout demo}: the product's promise on embedded defaults. One read of each demo source table on
 * instance a, a synchronous copy to b inside the import, an asynchronous one to c through the copy server
 * running in this process, the loads on b and c, and {@code verify --source} across all three.
 */
@Command(name = "demo", description = "Show the fan-out with nothing set up: a demo source read once, landed on three"
    + " instances (a, b, c), proven equal; then serve the status page until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {
  private static final String CONNECTION = "demo_shop";
  private static final Duration ASYNC_COPY_TIMEOUT = Duration.ofMinutes(5);

  @ParentCommand FanoutCommand root;
  @Option(names = "--port", description = "Port of the status page the demo serves (0 for any free port).")
  int port = ServerSettings.DEFAULT_PORT;
  @Option(names = "--serve", negatable = true, description = "After the summary, serve the status page until"
      + " Ctrl-C (--no-serve stops instead; default: serve when run from a terminal, so a script never hangs).")
  Boolean serve;

  /** One table's trip: its import on a, its rows and checksums everywhere, and when each copy landed. */
  private record Trip(ImportTable table, ImportStatistics imported, VerifyReport verified, Map<String, Duration> lag) {}

  @Override
  public Integer call() throws InterruptedException {
    // --port's range is checked with every other option's, in Bounds
    // without a terminal (a script, CI) nobody could press Ctrl-C: stop after the summary
    boolean noServe = serve == null ? System.console() == null : !serve;
    FanoutHome home = root.home();
    DemoClusters clusters = new DemoClusters(home.dir());
    initIfNew(home, DemoClusters.SOURCE_INSTANCE);
    for (String destination : DemoClusters.destinations()) {
      initIfNew(clusters.home(destination), destination);
    }
    DemoSource source = new DemoSource(home.dir().resolve("demo-source"));
    System.out.println(source.prepare()
        ? "Created the demo source (H2, schema SHOP: products, customers, orders, payments)."
        : "Added new orders to the demo source.");
    Instance a = Instance.open(home);
    FanoutServer server = null;
    boolean serving = false;
    try (Remotes remotes = new Remotes(a); CommandEvents events = CommandEvents.open(a)) {
      List<ImportTable> tables = prepare(a, clusters, source);
      server = startServer(a);
      List<Trip> trips = new ArrayList<>();
      System.out.println("\n== a: read each table once from the source; the copy to b is synchronous, to c queued");
      for (ImportTable t : tables) {
        trips.add(new Trip(t, new Importer(a, remotes, events.listener()).run(t.target()).statistics(), null, null));
      }
      System.out.println("\n== the copy server in this process copies to c");
      awaitAsynchronousCopies(a, trips);
      for (String destination : DemoClusters.destinations()) {
        System.out.println("\n== " + destination + ": load what was copied (copy_slave tables)");
        load(clusters.home(destination), tables);
      }
      System.out.println("\n== verify --source: the source and a, b, c compared row by row (checksums)");
      trips = verify(a, remotes, events, trips);
      printSummary(a, trips);
      printNext(home, server);
      if (noServe) {
        return trips.stream().allMatch(t -> t.verified().differences().isEmpty()) ? 0 : 1;
      }
      serving = true;
      serveUntilStopped(server, a);
      return 0;
    } finally {
      if (!serving) {
        if (server != null) {
          server.close();
        }
        a.close();
      }
    }
  }

  private static void initIfNew(FanoutHome home, String name) {
    if (!home.isInitialized()) {
      int rc = Main.run("--home", home.dir().toString(), "init", "--cluster-name", name);
      if (rc != 0) {
        throw new FanoutException("Cannot create the demo's instance " + name + " in " + home.dir()
            + "; the line above says why.");
      }
    }
  }

  /** The demo's connection, clusters, copy rules and tables on a, each added only once. */
  private static List<ImportTable> prepare(Instance a, DemoClusters clusters, DemoSource source) {
    if (a.connections().find(CONNECTION).isEmpty()) {
      a.connections().add(new SourceConnection(CONNECTION, source.jdbcUrl(),
          new Credentials("sa", "").seal(a.cipher()), 2));
    }
    clusters.connect(a);
    List<ImportTable> tables = List.of(
        table("shop.products", "PRODUCTS").etlMode(EtlMode.MERGE).build(),
        table("shop.customers", "CUSTOMERS").sessions(2).build(),
        table("shop.orders", "ORDERS").importType(ImportType.INCR).incrMode(IncrMode.APPEND).incrColumn("ID")
            .etlMode(EtlMode.INSERT).sessions(2).build(),
        table("shop.payments", "PAYMENTS").sessions(2).build());
    TableRegistration registration = new TableRegistration(a);
    for (ImportTable t : tables) {
      if (a.tables().find(t.target()).isEmpty()) {
        registration.register(t);
      }
    }
    return tables;
  }

  /** The copy server of a, with its status page; a taken port falls back to any free one. */
  private FanoutServer startServer(Instance a) {
    ServerSettings.Builder settings = ServerSettings.builder().workers(2).poll(Duration.ofMillis(200));
    try {
      return FanoutServer.start(a, settings.port(port).build());
    } catch (FanoutException e) {
      if (port == 0 || !e.getMessage().startsWith("Cannot listen")) {
        throw e;
      }
      System.out.println("Port " + port + " is taken; the status page uses another one.");
      return FanoutServer.start(a, settings.port(0).build());
    }
  }

  /** Waits until the server has copied each import to every asynchronous destination; a job that keeps failing ends the demo. */
  private static void awaitAsynchronousCopies(Instance a, List<Trip> trips) throws InterruptedException {
    CopyJobReports reports = new CopyJobReports(a.transactions());
    Instant deadline = Instant.now().plus(ASYNC_COPY_TIMEOUT);
    for (Trip trip : trips) {
      String importId = trip.imported().importId();
      while (reports.pendingOfImport(importId) > 0) {
        CopyJob stuck = reports.list(new CopyJobFilter(null, trip.table().target(), null, 10)).stream()
            .filter(j -> j.importId().equals(importId) && j.attempts() >= 2 && j.lastError() != null)
            .findFirst().orElse(null);
        if (stuck != null || Instant.now().isAfter(deadline)) {
          throw new FanoutException("The copy of " + trip.table().target() + " to "
              + DemoClusters.ASYNCHRONOUS_DESTINATION + " did not finish"
              + (stuck == null ? " within " + ASYNC_COPY_TIMEOUT.toMinutes() + " minutes" : ": " + stuck.lastError())
              + "; 'fanout jobs' shows the queue.");
        }
        Thread.sleep(100);
      }
      System.out.println(trip.table().target() + ": copied to " + DemoClusters.ASYNCHRONOUS_DESTINATION);
    }
  }

  /** A destination's loads, as {@code fanout import} run there would do them. */
  private static void load(FanoutHome home, List<ImportTable> tables) {
    try (Instance destination = Instance.open(home); Remotes remotes = new Remotes(destination);
        CommandEvents events = CommandEvents.open(destination)) {
      for (ImportTable t : tables) {
        new Importer(destination, remotes, events.listener()).run(t.target());
      }
    }
  }

  private static List<Trip> verify(Instance a, Remotes remotes, CommandEvents events, List<Trip> trips) {
    Verifier verifier = new Verifier(a, new CopyRuleRepository(a.transactions()), remotes, 4, events.listener());
    List<Trip> out = new ArrayList<>();
    for (Trip trip : trips) {
      TableName name = trip.table().target();
      VerifyReport report = verifier.verify(name, List.of(), true, false);
      Map<String, Duration> lag = new LinkedHashMap<>();
      for (String destination : DemoClusters.destinations()) {
        Instant finished = remotes.open(destination).tables().require(name).copyFinished();
        lag.put(destination, finished == null ? null : Duration.between(trip.imported().stageStop(), finished));
      }
      out.add(new Trip(trip.table(), trip.imported(), report, lag));
    }
    return out;
  }

  private static void printSummary(Instance a, List<Trip> trips) {
    String self = a.settings().clusterName();
    System.out.printf(Locale.ROOT, "%n%-15s %-22s %9s %9s %9s %9s  %-9s %7s %7s%n", "table", "mode", "read",
        "on " + self, "on b", "on c", "checksums", "lag b", "lag c");
    for (Trip trip : trips) {
      ImportTable t = trip.table();
      String mode = t.importType().code() + (t.isIncremental() ? "/" + t.incrMode().code() : "") + ", "
          + t.etlMode().code();
      VerifyReport v = trip.verified();
      System.out.printf(Locale.ROOT, "%-15s %-22s %9d %9s %9s %9s  %-9s %7s %7s%n", t.target(), mode,
          trip.imported().sourceRows(), rows(v, self), rows(v, DemoClusters.SYNCHRONOUS_DESTINATION),
          rows(v, DemoClusters.ASYNCHRONOUS_DESTINATION), v.differences().isEmpty() ? "agree" : "DIFFER",
          seconds(trip.lag().get(DemoClusters.SYNCHRONOUS_DESTINATION)),
          seconds(trip.lag().get(DemoClusters.ASYNCHRONOUS_DESTINATION)));
    }
    long read = trips.stream().mapToLong(t -> t.imported().sourceRows()).sum();
    List<Trip> differing = trips.stream().filter(t -> !t.verified().differences().isEmpty()).toList();
    System.out.printf(Locale.ROOT, "%nRead %d rows from the source, once. %s Lag: from staged on %s to"
        + " copy_finished on the destination.%n", read, differing.isEmpty()
            ? "Every cluster holds the same rows as the source (row counts and content checksums)."
            : differing.size() + " of " + trips.size() + " tables differ:", self);
    differing.forEach(t -> System.out.println("  " + t.table().target() + ": "
        + String.join("; ", t.verified().differences())));
  }

  private static String rows(VerifyReport report, String place) {
    return report.rowsOn(place).map(String::valueOf).orElse("-");
  }

  private static String seconds(Duration lag) {
    return lag == null ? "-" : String.format(Locale.ROOT, "%.1f s", Math.max(0, lag.toMillis()) / 1000.0);
  }

  /** @param server the server that goes on serving the status page, or null when the demo stops here */
  private static void printNext(FanoutHome home, FanoutServer server) {
    String fanout = "bin/fanout --home " + home.dir();
    System.out.println();
    String token = " (log in with the token in " + home.dir().resolve(ApiTokens.FILE_NAME) + ")";
    System.out.println(server == null ? "Status page: run '" + fanout + " server' and open http://127.0.0.1:"
        + ServerSettings.DEFAULT_PORT + "/" + token : "Status page: http://127.0.0.1:" + server.port() + "/" + token);
    System.out.println("Try next:");
    System.out.println("  " + fanout + " demo --no-serve     # new orders: an increment reaches a, b and c");
    System.out.println("  " + fanout + " jobs                # the copy queue");
    System.out.println("  " + fanout + " verify --table shop.orders --source");
    System.out.println("  " + fanout + " table show shop.orders");
  }

  /** Serves the status page and copies until Ctrl-C, which stops both gracefully. */
  private static void serveUntilStopped(FanoutServer server, Instance a) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      a.close();
      stopped.countDown();
    }, "fanout-demo-shutdown"));
    System.out.println("Serving until Ctrl-C.");
    System.out.flush();
    stopped.await();
  }

  private static ImportTable.Builder table(String target, String sourceTable) {
    return ImportTable.builder().target(TableName.parse(target)).connection(CONNECTION)
        .sourceSchema(DemoSource.SCHEMA).sourceTable(sourceTable);
  }
}
