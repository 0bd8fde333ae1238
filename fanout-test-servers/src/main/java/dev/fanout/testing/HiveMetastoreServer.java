package dev.fanout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Hive Metastore 4.0.1 (standalone, embedded Derby, Thrift on 127.0.0.1) in a child JVM, on the class path that
 * the module fanout-hive-metastore-server writes: its Thrift, DataNucleus and Hive 4 classes must not meet the
 * Hive 3.1.3 metastore client on this class path. The Derby schema comes from Hive's own schema tool and script
 * (unpacked by that module); it is made once per build in target/ and copied for each server, since the schema
 * tool alone takes 10 s on a busy machine. Data (Derby, warehouse) lives in {@code dataDir}.
 */
public final class HiveMetastoreServer implements AutoCloseable {
  static final String CLASSPATH_PROPERTY = "fanout.hiveMetastoreClasspath";
  static final String SCHEMA_PROPERTY = "fanout.hiveMetastoreSchema";
  private static final String DEFAULT_CLASSPATH = "../fanout-hive-metastore-server/target/hive-metastore-classpath.txt";
  private static final String DEFAULT_SCHEMA = "../fanout-hive-metastore-server/target/hive-schema";
  private static final Path TEMPLATE = Path.of("target", "hive-metastore-derby-template");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path data;
  private final Path logDir;
  private final Map<String, String> settings;
  private final Path log;
  private Duration started;

  private HiveMetastoreServer(Process process, int port, Path data, Path logDir, Map<String, String> settings,
      Path log) {
    this.process = process;
    this.port = port;
    this.data = data;
    this.logDir = logDir;
    this.settings = settings;
    this.log = log;
  }

  public static HiveMetastoreServer start(Path dataDir, Path logDir) {
    return start(dataDir, logDir, Map.of());
  }

  /** Starts a metastore on a free port with extra metastore settings, and waits until its Thrift port answers. */
  public static HiveMetastoreServer start(Path dataDir, Path logDir, Map<String, String> settings) {
    try {
      long t0 = System.nanoTime();
      Path data = Files.createDirectories(dataDir).toAbsolutePath();
      Files.createDirectories(logDir);
      copyTree(template(logDir), data.resolve("derby"));
      return launch(data, logDir, settings, freePort(), t0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A stopped server started again on its data and port: the same metastore at the same URI. */
  public static HiveMetastoreServer restart(HiveMetastoreServer stopped) {
    stopped.close();
    try {
      return launch(stopped.data, stopped.logDir, stopped.settings, stopped.port, System.nanoTime());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HiveMetastoreServer launch(Path data, Path logDir, Map<String, String> settings, int port, long t0)
      throws IOException {
    Path warehouse = Files.createDirectories(data.resolve("warehouse"));
    Path conf = Files.createDirectories(data.resolve("conf"));
    writeSite(conf, data.resolve("derby"), port, warehouse, settings);
    Path log = logDir.resolve("hive-metastore-" + port + ".log");
    Process process = new ProcessBuilder(java(), "-Xmx384m", "-cp", conf + ":" + classPath(),
        "org.apache.hadoop.hive.metastore.HiveMetaStore")
        // Derby writes its derby.log into the working directory: the server's data, not the module
        .directory(data.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    HiveMetastoreServer server = new HiveMetastoreServer(process, port, data, logDir, settings, log);
    try {
      server.awaitReady();
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    server.started = Duration.ofNanos(System.nanoTime() - t0);
    return server;
  }

  public String uri() {
    return "thrift://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path warehouse() {
    return data.resolve("warehouse");
  }

  public Path log() {
    return log;
  }

  /** From the call to start until the Thrift port answered. */
  public Duration startTime() {
    return started;
  }

  private static void writeSite(Path conf, Path derby, int port, Path warehouse, Map<String, String> extra)
      throws IOException {
    Map<String, String> site = new LinkedHashMap<>();
    site.put("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + derby + ";create=true");
    site.put("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
    site.put("metastore.thrift.port", Integer.toString(port));
    site.put("metastore.thrift.bind.host", "127.0.0.1");
    site.put("metastore.warehouse.dir", warehouse.toUri().toString());
    site.put("metastore.warehouse.external.dir", warehouse.toUri().toString());
    // the default list names a hive-exec class that the standalone server does not have
    site.put("metastore.task.threads.always", "org.apache.hadoop.hive.metastore.events.EventCleanerTask");
    // Hive 4's transformer would turn the tables Iceberg creates into external ones under warehouse-external/
    site.put("metastore.metadata.transformer.class", " ");
    site.putAll(extra);
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    site.forEach((k, v) -> xml.append("  <property><name>").append(k).append("</name><value>").append(v)
        .append("</value></property>\n"));
    Files.writeString(conf.resolve("metastore-site.xml"), xml.append("</configuration>\n"));
  }

  /**
   * A Derby database with Hive's 4.0 schema, made by Hive's schema tool from the unpacked scripts once per build
   * (a file lock: two test JVMs may ask at the same time).
   */
  private static Path template(Path logDir) throws IOException {
    Path done = TEMPLATE.resolve("done");
    Files.createDirectories(TEMPLATE.getParent());
    try (FileChannel lockFile = FileChannel.open(Path.of("target", "hive-metastore-derby-template.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
      if (Files.exists(done)) {
        return TEMPLATE.resolve("db");
      }
      deleteTree(TEMPLATE);
      Path conf = Files.createDirectories(TEMPLATE.resolve("conf"));
      Path db = TEMPLATE.resolve("db").toAbsolutePath();
      writeSite(conf, db, 0, TEMPLATE.resolve("warehouse").toAbsolutePath(), Map.of());
      Path log = logDir.resolve("hive-schema-tool.log");
      ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "-cp", conf.toAbsolutePath() + ":" + classPath(),
          "org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool", "-initSchema", "-dbType", "derby")
          .directory(TEMPLATE.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("METASTORE_HOME", metastoreHome().toString());
      Process tool = pb.start();
      try {
        if (!tool.waitFor(3, TimeUnit.MINUTES) || tool.exitValue() != 0) {
          tool.destroyForcibly();
          throw new AssertionError("Hive's schema tool failed, see " + log.toAbsolutePath() + ":\n" + tail(log));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tool.destroyForcibly();
        throw new AssertionError(e);
      }
      Files.writeString(done, "");
      return db;
    }
  }

  /** The unpacked binary distribution's top directory, where the schema tool finds scripts/metastore/upgrade. */
  private static Path metastoreHome() throws IOException {
    Path schema = Path.of(System.getProperty(SCHEMA_PROPERTY, DEFAULT_SCHEMA));
    if (!Files.isDirectory(schema)) {
      throw missing(schema);
    }
    try (Stream<Path> dirs = Files.list(schema)) {
      return dirs.filter(d -> Files.isDirectory(d.resolve("scripts/metastore/upgrade/derby"))).findFirst()
          .orElseThrow(() -> missing(schema)).toAbsolutePath();
    }
  }

  private static String classPath() throws IOException {
    Path file = Path.of(System.getProperty(CLASSPATH_PROPERTY, DEFAULT_CLASSPATH));
    if (!Files.exists(file)) {
      throw missing(file);
    }
    return Files.readString(file).trim();
  }

  private static AssertionError missing(Path path) {
    return new AssertionError(path.toAbsolutePath() + " is missing: build the module fanout-hive-metastore-server"
        + " first (mvn install -pl fanout-hive-metastore-server, or a build from the project root)");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the Hive Metastore exited " + process.exitValue() + ":\n" + tail(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException notYet) {
        // not listening yet
      }
      ChildJvm.sleep(100);
    }
    throw new AssertionError("the Hive Metastore did not listen within " + START_TIMEOUT + ":\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      String out = Files.exists(log) ? Files.readString(log) : "";
      return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      return s.getLocalPort();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(from)) {
      walk.forEach(all::add);
    }
    for (Path p : all) {
      Path target = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(target);
      } else {
        Files.copy(p, target);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() {
    ChildJvm.stop(process);
  }
}
