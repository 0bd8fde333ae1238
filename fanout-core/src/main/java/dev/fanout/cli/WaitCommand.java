package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.TableName;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * A scheduler sensor: exits 0 as soon as {@code copy_finished} of a table is at or after a time, and 1 at
 * the timeout. Times without a zone are UTC, as Fanout stores them.
 */
@Command(name = "wait", description = "Wait until fresh data was copied to a table (copy_finished >= TIME).")
final class WaitCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

  @Option(names = "--table", required = true, description = "db.table to wait for.") String table;
  @Option(names = "--newer-than", required = true, description = "ISO time, e.g. 2026-11-24T02:00:00Z (UTC if no zone).")
  String newerThan;
  @Option(names = "--timeout", description = "e.g. 30s, 10m, 2h or PT2H (default 1h).") String timeout = "1h";
  @Option(names = "--interval", description = "How often to look (default 10s).") String interval = "10s";

  @Override
  public Integer call() throws InterruptedException {
    TableName name = TableName.parse(table);
    Instant threshold = parseTime(newerThan);
    Duration limit = Durations.parse(timeout, "--timeout");
    Duration every = Durations.parse(interval, "--interval");
    Instant deadline = Instant.now().plus(limit);
    try (Instance instance = root.open()) {
      while (true) {
        ImportTable t = instance.tables().require(name);
        if (t.copyFinished() != null && !t.copyFinished().isBefore(threshold)) {
          System.out.println(name + ": copy_finished " + t.copyFinished() + " is at or after " + threshold);
          return 0;
        }
        if (!Instant.now().plus(every).isBefore(deadline.plusMillis(1))) {
          throw new FanoutException("Timed out after " + timeout + " waiting for " + name + ": copy_finished is "
              + (t.copyFinished() == null ? "not set" : t.copyFinished().toString()) + ", not at or after " + threshold + ".");
        }
        Thread.sleep(every.toMillis());
      }
    }
  }

  static Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new FanoutException("'" + text + "' is not a time such as 2026-11-24T02:00:00Z.");
      }
    }
  }
}
