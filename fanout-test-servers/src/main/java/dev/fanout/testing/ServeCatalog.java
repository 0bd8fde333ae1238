package dev.fanout.testing;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One of the test catalog servers for a benchmark or a try by hand: {@code ServeCatalog rest|hive DATA_DIR} starts
 * it, prints {@code uri=<its URI>} and serves until the process is stopped (the server's JVM stops with it).
 * The class paths come from the same system properties the tests use.
 */
public final class ServeCatalog {
  private ServeCatalog() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2 || !(args[0].equals("rest") || args[0].equals("hive"))) {
      System.err.println("usage: ServeCatalog rest|hive DATA_DIR");
      System.exit(2);
    }
    Path data = Path.of(args[1]);
    AutoCloseable server;
    String uri;
    if (args[0].equals("rest")) {
      RestCatalogServer rest = RestCatalogServer.start(data, data.resolve("logs"));
      server = rest;
      uri = rest.uri();
    } else {
      HiveMetastoreServer hive = HiveMetastoreServer.start(data, data.resolve("logs"));
      server = hive;
      uri = hive.uri();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("stopping the server: " + e);
      }
    }));
    System.out.println("uri=" + uri);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
