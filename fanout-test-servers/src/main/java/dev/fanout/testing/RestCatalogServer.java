package dev.fanout.testing;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Iceberg's own REST catalog test server ({@code org.apache.iceberg.rest.RESTCatalogServer}) in a child JVM, on the
 * class path that the module fanout-rest-catalog-server writes: it needs Jetty 11, and this class path has
 * hadoop-minicluster's Jetty 9 under the same package names. Its backend is a JdbcCatalog on an H2 file and a
 * warehouse, both in {@code dataDir}, so a server started again on the same directory sees the same tables.
 */
public final class RestCatalogServer implements AutoCloseable {
  static final String CLASSPATH_PROPERTY = "fanout.restCatalogClasspath";
  private static final String DEFAULT_CLASSPATH = "../fanout-rest-catalog-server/target/rest-catalog-classpath.txt";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final int port;
  private final Path warehouse;
  private final Path log;

  private RestCatalogServer(Process process, int port, Path warehouse, Path log) {
    this.process = process;
    this.port = port;
    this.warehouse = warehouse;
    this.log = log;
  }

  /** Starts a server on a free port and waits until it answers {@code GET /v1/config}; its output goes to logDir. */
  public static RestCatalogServer start(Path dataDir, Path logDir) {
    try {
      Path warehouse = Files.createDirectories(dataDir.resolve("warehouse")).toAbsolutePath();
      Files.createDirectories(logDir);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd = List.of(java, "-Xmx256m", "-cp", classPath(), "org.apache.iceberg.rest.RESTCatalogServer");
      // the fixture binds 0.0.0.0 with SO_REUSEPORT, so a port someone else also holds the same way would not fail
      // its bind: a second try on another port when the port turns out to be shared
      for (int attempt = 1; ; attempt++) {
        int port = freePort();
        Path log = logDir.resolve("rest-catalog-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // RCKUtils turns CATALOG_A_B__C into the catalog property a.b-c
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CATALOG_"));
        env.put("CATALOG_REST_PORT", Integer.toString(port));
        env.put("CATALOG_CATALOG__IMPL", "org.apache.iceberg.jdbc.JdbcCatalog");
        // DATABASE_TO_LOWER: JdbcCatalog looks its tables up in lower case; in H2's default upper case it does not
        // find them on a restart and fails adding its columns again ("duplicate column ICEBERG_TYPE")
        env.put("CATALOG_URI", "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("catalog")
            + ";DATABASE_TO_LOWER=TRUE");
        env.put("CATALOG_JDBC_USER", "sa");
        env.put("CATALOG_JDBC_PASSWORD", "");
        env.put("CATALOG_WAREHOUSE", warehouse.toUri().toString());
        env.put("CATALOG_IO__IMPL", "org.apache.iceberg.hadoop.HadoopFileIO");
        RestCatalogServer server = new RestCatalogServer(pb.start(), port, warehouse, log);
        try {
          server.awaitReady();
        } catch (RuntimeException | Error e) {
          server.close();
          throw e;
        }
        if (listeners(port) <= 1) {
          return server;
        }
        server.close();
        if (attempt == 3) {
          throw new AssertionError("port " + port + " is held by another listener, three times running");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "http://127.0.0.1:" + port;
  }

  public Path warehouse() {
    return warehouse;
  }

  public Path log() {
    return log;
  }

  private void awaitReady() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest config = HttpRequest.newBuilder(URI.create(uri() + "/v1/config")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the REST catalog server exited " + process.exitValue() + ":\n" + tail());
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
      ChildJvm.sleep(100);
    }
    throw new AssertionError("the REST catalog server did not answer within " + START_TIMEOUT + ":\n" + tail());
  }

  private String tail() throws IOException {
    String out = Files.exists(log) ? Files.readString(log) : "";
    return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
  }

  private static String classPath() throws IOException {
    Path file = Path.of(System.getProperty(CLASSPATH_PROPERTY, DEFAULT_CLASSPATH));
    if (!Files.exists(file)) {
      throw new AssertionError(file.toAbsolutePath() + " is missing: build the module fanout-rest-catalog-server"
          + " first (mvn install -pl fanout-rest-catalog-server, or a build from the project root)");
    }
    return Files.readString(file).trim();
  }

  /** A port nobody listens on, on any address: the fixture binds the wildcard address. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      return s.getLocalPort();
    }
  }

  /** How many sockets listen on the port (Linux); 0 where /proc/net is not there. */
  private static int listeners(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, ":%04X ", port);
    int n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (Files.isReadable(p)) {
        for (String line : Files.readAllLines(p)) {
          String[] f = line.trim().split("\\s+");
          // local_address is field 1, state field 3 (0A = LISTEN)
          if (f.length > 3 && (f[1] + " ").endsWith(hexPort) && f[3].equals("0A")) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() {
    ChildJvm.stop(process);
  }
}
