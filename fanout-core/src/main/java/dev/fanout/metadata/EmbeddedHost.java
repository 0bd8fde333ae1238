package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.JdbcUrls;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The process that serves an embedded H2 database to the others ({@code AUTO_SERVER}): the first one that
 * opened it. When that process is stopped (Ctrl-Z, {@code kill -STOP}) its socket still accepts, so a new
 * connection would wait without end; this finds it through {@code /proc} and says so at once. Where
 * {@code /proc} is not there (not Linux) nothing is checked.
 */
final class EmbeddedHost {
  private static final Pattern FILE_URL = Pattern.compile("jdbc:h2:(?:file:)?([^;]+);.*AUTO_SERVER=TRUE.*",
      Pattern.CASE_INSENSITIVE);

  private EmbeddedHost() {}

  /** Fails with a sentence naming the serving process when it is stopped. */
  static void requireRunning(String url) {
    stoppedHost(url).ifPresent(pid -> {
      throw new FanoutException("The metadata database " + JdbcUrls.redact(url) + " is served by process " + pid
          + describe(pid) + ", which is stopped; resume it ('kill -CONT " + pid + "') or end it, then retry.");
    });
  }

  /** The pid of the stopped process that serves this embedded database, if it is stopped. */
  static Optional<Long> stoppedHost(String url) {
    Matcher m = FILE_URL.matcher(url);
    if (!m.matches() || !Files.isDirectory(Path.of("/proc/self"))) {
      return Optional.empty();
    }
    Path lock = Path.of(m.group(1) + ".lock.db");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(lock)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // no server yet, or the lock is being written: H2 decides
    }
    String server = p.getProperty("server", "");
    int colon = server.lastIndexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(server.substring(colon + 1));
      return listener(port).filter(EmbeddedHost::stopped);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The process whose socket listens on this TCP port, from the kernel's socket tables. */
  private static Optional<Long> listener(int port) {
    String inode = null;
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try (Stream<String> lines = Files.lines(Path.of(table))) {
        inode = lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
            .filter(f -> f.length > 9 && f[1].endsWith(hexPort) && f[3].equals("0A")) // 0A: LISTEN
            .map(f -> f[9]).findFirst().orElse(inode);
      } catch (IOException e) {
        // that table is not there
      }
    }
    if (inode == null) {
      return Optional.empty();
    }
    String socket = "socket:[" + inode + "]";
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(d -> holds(d, socket)).map(d -> Long.parseLong(d.getFileName().toString())).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean holds(Path proc, String socket) {
    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
      return fds.anyMatch(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().equals(socket);
        } catch (IOException | UnsupportedOperationException e) {
          return false;
        }
      });
    } catch (IOException e) {
      return false; // another user's process, or gone
    }
  }

  /** Stopped by a signal or a tracer: state T or t in {@code /proc/PID/stat}. */
  private static boolean stopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'T' || state == 't';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static String describe(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
        .map(c -> " (" + (c.length() > 120 ? c.substring(0, 117) + "..." : c) + ")").orElse("");
  }
}
