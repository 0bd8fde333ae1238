package dev.fanout.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code fanout} launcher as users do (fanout-core/target/fanout.jar, built before this module) against
 * one home, and captures its exit code and output. The Spark engine's job is a further process it starts.
 */
final class FanoutProcess {
  private static final Path ROOT = Path.of(System.getProperty("fanout.root", "..")).toAbsolutePath().normalize();
  static final Path LAUNCHER = ROOT.resolve("fanout-core/target/fanout.jar");

  private final Path home;

  FanoutProcess(Path home) {
    this.home = home;
    if (!Files.isRegularFile(LAUNCHER)) {
      throw new IllegalStateException(LAUNCHER + " is missing: build fanout-core first ('mvn -pl fanout-core install"
          + " -DskipTests', or 'mvn verify' from the root, which builds it before this module)");
    }
  }

  record Result(int code, String out, String err) {}

  Result run(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // short commands: the C1 compiler alone starts them about a third faster
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", LAUNCHER.toString(), "--home", home.toString()));
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("fanout-out", ".txt");
      Path err = Files.createTempFile("fanout-err", ".txt");
      ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      // a zone with a DST gap, inherited by the Spark job: a wall-clock time in the gap must not move
      builder.environment().put("TZ", "Europe/Berlin");
      Process p = builder.start();
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("fanout " + String.join(" ", args) + " did not finish in 5 minutes");
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command that must succeed and returns its standard output. */
  String ok(String... args) {
    return okWithStdin(null, args);
  }

  String okWithStdin(String stdin, String... args) {
    Result r = run(stdin, args);
    if (r.code() != 0) {
      throw new AssertionError("fanout " + String.join(" ", args) + " exited " + r.code() + ":\n" + r.err() + r.out());
    }
    return r.out();
  }
}
