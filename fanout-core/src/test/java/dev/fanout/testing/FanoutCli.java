package dev.fanout.testing;

import dev.fanout.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code fanout} commands in-process against one home, capturing exit code, stdout and stderr. */
public final class FanoutCli {
  private final Path home;

  public FanoutCli(Path home) {
    this.home = home;
  }

  public Path home() {
    return home;
  }

  public Result run(String... args) {
    return runWithStdin(null, args);
  }

  public synchronized Result runWithStdin(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(List.of(args));
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      if (stdin != null) {
        System.setIn(new ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)));
      }
      int code = Main.run(all.toArray(String[]::new));
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }

  /** Runs a command that must succeed, and returns its stdout. */
  public String ok(String... args) {
    Result r = run(args);
    if (r.code() != 0) {
      throw new AssertionError("fanout " + String.join(" ", args) + " exited " + r.code() + ": " + r.err() + r.out());
    }
    return r.out();
  }

  /** init, then a connection named {@code src} to the given database. */
  public FanoutCli initWithSource(TestDatabase source) {
    ok("init");
    Result r = runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin");
    if (r.code() != 0) {
      throw new AssertionError("connection add failed: " + r.err());
    }
    return this;
  }

  public record Result(int code, String out, String err) {}
}
