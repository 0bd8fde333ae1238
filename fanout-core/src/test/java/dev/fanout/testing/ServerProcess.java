package dev.fanout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code fanout server} in a process of its own, as a user runs it: started, stopped with SIGTERM, or killed -9. */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)");
  private final Process process;
  private final Path out;
  private final int port;

  private ServerProcess(Process process, Path out, int port) {
    this.process = process;
    this.out = out;
    this.port = port;
  }

  public static ServerProcess start(Path home, Path logDir, String... options) {
    return startWithStdin(home, logDir, null, options);
  }

  /** As {@link #start}, with {@code stdin} (a line, such as a password) typed into the server's standard input. */
  public static ServerProcess startWithStdin(Path home, Path logDir, String stdin, String... options) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.fanout.cli.Main", "--home", home.toString(), "server", "--port", "0"));
    cmd.addAll(List.of(options));
    try {
      Files.createDirectories(logDir);
      Path out = Files.createTempFile(logDir, "server", ".out");
      Path err = Path.of(out.toString().replace(".out", ".err"));
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      for (int i = 0; i < 600; i++) {
        Matcher m = LISTENING.matcher(Files.readString(out));
        if (m.find()) {
          return new ServerProcess(p, out, Integer.parseInt(m.group(1)));
        }
        if (!p.isAlive()) {
          throw new AssertionError("fanout server exited " + p.exitValue() + ": " + Files.readString(err));
        }
        Thread.sleep(100);
      }
      p.destroyForcibly();
      throw new AssertionError("fanout server did not start within 60 s: " + Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** kill -9: no shutdown hook runs, leases stay as they were. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the graceful shutdown; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("fanout server did not stop within 90 s of SIGTERM");
    }
    return process.exitValue();
  }

  public String output() throws IOException {
    return Files.readString(out);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
