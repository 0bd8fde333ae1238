package dev.fanout.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}) in a child JVM, on the class
 * path the module fanout-rest-catalog-server writes (system property fanout.restCatalogClasspath), as fanout-core's
 * tests start it: a JdbcCatalog on an H2 file behind it, its warehouse in {@code dataDir}.
 */
final class RestCatalogServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private RestCatalogServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static RestCatalogServer start(Path dataDir) {
    try {
      Path classPathFile = Path.of(System.getProperty("fanout.restCatalogClasspath",
          "../fanout-rest-catalog-server/target/rest-catalog-classpath.txt"));
      if (!Files.exists(classPathFile)) {
        throw new AssertionError(classPathFile.toAbsolutePath() + " is missing: build the module"
            + " fanout-rest-catalog-server first (mvn install -pl fanout-rest-catalog-server, or a build from the root)");
      }
      Path warehouse = Files.createDirectories(dataDir.resolve("warehouse")).toAbsolutePath();
      int port = freePort();
      Path log = dataDir.resolve("rest-catalog.log");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", Files.readString(classPathFile).trim(), "org.apache.iceberg.rest.RESTCatalogServer")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      // the server turns CATALOG_A_B__C into the catalog property a.b-c
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("CATALOG_"));
      env.put("CATALOG_REST_PORT", Integer.toString(port));
      env.put("CATALOG_CATALOG__IMPL", "org.apache.iceberg.jdbc.JdbcCatalog");
      env.put("CATALOG_URI", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("catalog") + ";DATABASE_TO_LOWER=TRUE");
      env.put("CATALOG_JDBC_USER", "sa");
      env.put("CATALOG_JDBC_PASSWORD", "");
      env.put("CATALOG_WAREHOUSE", warehouse.toUri().toString());
      env.put("CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
      RestCatalogServer server = new RestCatalogServer(pb.start(), port, log);
      try {
        server.awaitReady();
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String uri() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitReady() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest config = HttpRequest.newBuilder(URI.create(uri() + "/v1/config")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the REST catalog server exited " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (http.send(config, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the REST catalog server did not answer within 90 s:\n" + Files.readString(log));
  }

  /** A port nobody listens on, on any address: the server binds the wildcard address. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
