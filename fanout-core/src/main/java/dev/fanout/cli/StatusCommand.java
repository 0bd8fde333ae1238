package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.replication.CopyJob;
import dev.fanout.status.DestinationStatus;
import dev.fanout.status.StatusReader;
import dev.fanout.status.StatusReport;
import dev.fanout.status.TableStatus;
import dev.fanout.status.Utc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fanout status}: one screen for a person, read straight from the metadata database. Exits 1 when
 * a copy job needs a person, so a monitoring check can run it.
 */
@Command(name = "status", description = "Show each destination's queue and lag, failing jobs and each table's"
    + " last import and next run; exit 1 if a job is flagged.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @Option(names = "--flag-after", description = "Failed tries after which a pending job counts as flagged"
      + " (default ${DEFAULT-VALUE}, as the server's).") int flagAfter = 5;

  @Override
  public Integer call() {
    try (Instance instance = root.open()) {
      Instant now = Instant.now();
      StatusReport report = new StatusReader(instance).read(flagAfter, now);
      System.out.println("Status of " + instance.name() + " at " + Utc.text(now)
          + (instance.configuration().copiesPaused() ? "; the copy queue is PAUSED" : ""));
      destinations(report.destinations());
      failing(report);
      tables(report.tables());
      if (report.flagged()) {
        long flagged = report.failing().stream().filter(j -> j.flagged(flagAfter)).count();
        throw new FanoutException(flagged + (flagged == 1 ? " copy job needs" : " copy jobs need")
            + " a person; see FAILING JOBS above, then 'fanout jobs retry ID' or 'fanout jobs cancel ID'.");
      }
      return 0;
    }
  }

  private static void destinations(List<DestinationStatus> destinations) {
    System.out.println();
    System.out.printf("%-16s %8s %-21s %-10s %-21s %s%n", "DESTINATION", "PENDING", "OLDEST PENDING", "LAG",
        "LAST COPY_FINISHED", "FAILING");
    for (DestinationStatus d : destinations) {
      System.out.printf("%-16s %8d %-21s %-10s %-21s %d%n", d.destination(), d.pendingJobs(), Utc.text(d.oldestPending()),
          Utc.duration(Duration.ofMillis((long) (d.lagSeconds() * 1000))), Utc.text(d.copyFinished()), d.failing().size());
    }
    if (destinations.isEmpty()) {
      System.out.println("(no copy jobs yet)");
    }
  }

  private static void failing(StatusReport report) {
    List<CopyJob> failing = report.failing();
    if (failing.isEmpty()) {
      return;
    }
    System.out.println();
    System.out.println("FAILING JOBS");
    for (CopyJob j : failing) {
      System.out.printf("  job %d %s to %s, %s after %d tries%s: %s%n", j.id(), j.describe(), j.destination(), j.state(),
          j.attempts(), j.flagged(report.flagAfterAttempts()) ? " (FLAGGED)" : "", firstLine(j.lastError()));
    }
  }

  private static void tables(List<TableStatus> tables) {
    System.out.println();
    System.out.printf("%-32s %-21s %12s %s%n", "TABLE", "LAST IMPORT", "ROWS", "NEXT DUE");
    for (TableStatus t : tables) {
      System.out.printf("%-32s %-21s %12s %s%n", t.table(), Utc.text(t.lastImport()),
          t.rows() == null ? "-" : t.rows().toString(), t.nextDueText() + (t.dag() == null ? "" : " (DAG " + t.dag() + ")"));
    }
    if (tables.isEmpty()) {
      System.out.println("(no imported tables)");
    }
  }

  private static String firstLine(String s) {
    String line = s == null ? "-" : s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 199) + "…" : line;
  }
}
