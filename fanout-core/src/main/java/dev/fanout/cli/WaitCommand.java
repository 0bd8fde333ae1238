package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.TableName;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A scheduler sensor: exits 0 as soon as {@code copy_finished} of a table is at or after a time, and 1 at
 * the timeout. Times without a zone are UTC, as Fanout stores them.
 */
@Command(name = "wait", description = "Wait until fresh data was copied to a table (copy_finished >= TIME).")
final class WaitCommand implements Callable<Integer> {
  private static final DateTimeFormatter SCHEDULER_TIME = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  @ParentCommand FanoutCommand root;
  @Spec CommandSpec spec;

  @Option(names = "--table", required = true, description = "db.table to wait for.") String table;
  @Option(names = "--newer-than", required = true, description = "ISO time, e.g. 2026-11-24T02:00:00Z or 2026-11-24 02:00:00+00:00 (UTC if no zone).")
  String newerThan;
  @Option(names = "--timeout", description = "e.g. 30s, 10m, 2h or PT2H (default 1h).") String timeout = "1h";
  @Option(names = "--interval", description = "How often to look (default 10s).") String interval = "10s";

  @Override
  public Integer call() throws InterruptedException {
    TableName name = TableName.parse(table);
    Instant threshold = threshold();
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

  /**
   * A time as schedulers render it: ISO with {@code T} or a space, any fraction of a second, and {@code Z},
   * an offset such as {@code +00:00}, or nothing (UTC, as Fanout stores times).
   */
  static Instant parseTime(String text) {
    String t = text.strip();
    // Airflow's str() of a time has a space where ISO has a T
    String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
    TemporalAccessor parsed = SCHEDULER_TIME.parseBest(iso, OffsetDateTime::from, LocalDateTime::from);
    return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
  }

  private Instant threshold() {
    try {
      return parseTime(newerThan);
    } catch (DateTimeException e) {
      throw new ParameterException(spec.commandLine(), "--newer-than '" + newerThan + "' is not a time such as"
          + " 2026-11-24T02:00:00Z, 2026-11-24 02:00:00+00:00 or 2026-11-24T02:00:00.123456 (UTC)");
    }
  }
}
