package dev.fanout.stage;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.JdbcUrls;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command that starts the Spark stage job: {@code spark-submit} when the settings name one, else a JVM
 * with Fanout's build of Spark on its class path and the {@code --add-opens} Spark 3.5 needs on Java 17.
 * Either way the job's JVMs run in UTC, so no machine's time zone moves a wall-clock value, and nothing
 * secret is on the command line (the job reads its spec, credentials included, from standard input).
 */
final class SparkLaunch {
  static final String MAIN_CLASS = "dev.fanout.spark.SparkStage";
  private static final String UTC = "-Duser.timezone=UTC";
  private static final List<String> JAVA_17_OPTIONS = List.of(
      "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "-Djdk.reflect.useDirectMethodHandle=false");

  private SparkLaunch() {}

  static List<String> command(StageSettings settings, String jdbcUrl, String application) {
    Path jar = jobJar(settings);
    Path driver = driverJar(jdbcUrl);
    List<String> cmd = new ArrayList<>();
    if (settings.sparkSubmit() != null) {
      cmd.addAll(List.of(settings.sparkSubmit(), "--master", settings.sparkMaster(), "--deploy-mode", "client",
          "--name", application, "--class", MAIN_CLASS, "--jars", driver.toString(),
          // client mode: the driver is the JVM spark-submit starts, so its options go on the command line
          "--driver-java-options", UTC, "--conf", "spark.executor.extraJavaOptions=" + UTC,
          jar.toString()));
      return cmd;
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!settings.sparkJavaOpts().isEmpty()) {
      cmd.addAll(Arrays.asList(settings.sparkJavaOpts().split("\\s+")));
    }
    cmd.addAll(JAVA_17_OPTIONS);
    cmd.add(UTC);
    cmd.add("-cp");
    cmd.add(jar + File.pathSeparator + sparkClasspath(jar) + File.pathSeparator + driver);
    cmd.addAll(List.of(MAIN_CLASS, "--master", settings.sparkMaster()));
    return cmd;
  }

  /** The configured job jar, else the one built beside this Fanout: fanout-spark/target/fanout-spark.jar. */
  static Path jobJar(StageSettings settings) {
    if (settings.sparkJar() != null) {
      Path jar = Path.of(settings.sparkJar());
      if (!Files.exists(jar)) {
        throw new FanoutException("The Spark engine's job jar " + jar + " (spark.jar) does not exist; build it with"
            + " 'mvn package' (fanout-spark/target/fanout-spark.jar) or correct spark.jar in fanout.properties.");
      }
      return jar;
    }
    Path here = fanoutCode();
    // fanout-core/target/fanout.jar (or target/classes) -> fanout-spark/target/fanout-spark.jar
    Path built = here.getParent().getParent().getParent().resolve("fanout-spark/target/fanout-spark.jar");
    Path beside = here.getParent().resolve("fanout-spark.jar");
    for (Path p : List.of(beside, built)) {
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new FanoutException("The Spark engine's job jar was not found at " + built + "; build it with 'mvn package',"
        + " or set spark.jar in fanout.properties ('fanout init --spark-jar').");
  }

  /**
   * Spark's jars for a job without spark-submit: the list the build wrote beside the job jar
   * ({@code spark-classpath.txt}), else a {@code lib} directory beside it.
   */
  static String sparkClasspath(Path jobJar) {
    Path dir = jobJar.toAbsolutePath().getParent();
    Path list = dir.resolve("spark-classpath.txt");
    try {
      if (Files.isRegularFile(list)) {
        return Files.readString(list).trim();
      }
    } catch (IOException e) {
      throw new FanoutException("Cannot read Spark's class path from " + list + ": " + e.getMessage(), e);
    }
    if (Files.isDirectory(dir.resolve("lib"))) {
      return dir.resolve("lib") + File.separator + "*";
    }
    throw new FanoutException("Spark's jars were not found beside " + jobJar + " (spark-classpath.txt or lib/);"
        + " build fanout-spark with 'mvn package', or name a spark-submit with --spark-submit.");
  }

  /** The jar of the JDBC driver that takes the source's URL, which the job needs too. */
  static Path driverJar(String url) {
    try {
      return Path.of(DriverManager.getDriver(url).getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (SQLException | URISyntaxException | NullPointerException e) {
      throw new FanoutException("No JDBC driver jar for " + JdbcUrls.redact(url) + " can be handed to the Spark job.", e);
    }
  }

  static String driverClass(String url) {
    try {
      return DriverManager.getDriver(url).getClass().getName();
    } catch (SQLException e) {
      throw new FanoutException("No JDBC driver takes " + JdbcUrls.redact(url) + ".", e);
    }
  }

  private static Path fanoutCode() {
    try {
      return Path.of(SparkLaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
