package dev.fanout.cli;

import dev.fanout.replication.CopyJobReports;

import dev.fanout.replication.CopyJobQueue;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobRun;
import dev.fanout.replication.CopyJobRunner;
import dev.fanout.replication.CopyJobState;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fanout jobs}: the asynchronous copy queue, read and steered straight in the metadata database,
 * so it works whether or not a server runs.
 */
@Command(name = "jobs", description = "List asynchronous copy jobs; show, retry, cancel, pause or resume them.",
    subcommands = {JobsCommand.Show.class, JobsCommand.Retry.class, JobsCommand.Cancel.class, JobsCommand.Pause.class,
        JobsCommand.Resume.class})
final class JobsCommand implements Callable<Integer> {
  /** Failed tries after which the listing marks a job, as the server's default flag threshold. */
  private static final int FLAG_AFTER = 5;

  @ParentCommand FanoutCommand root;
  @Option(names = "--state", description = "WAITING, NEW, RUNNING, FAILED, FLAGGED, DONE, SUPERSEDED or CANCELLED.")
  String state;
  @Option(names = "--table", description = "db.table") String table;
  @Option(names = "--destination", description = "A remote instance.") String destination;
  @Option(names = "--limit", description = "At most this many, newest first (default ${DEFAULT-VALUE}).") int limit = 50;

  @Override
  public Integer call() {
    CopyJobFilter filter = new CopyJobFilter(state == null ? null : CopyJobState.of(state),
        table == null ? null : TableName.parse(table), destination, limit);
    try (Instance instance = root.open()) {
      if (instance.configuration().copiesPaused()) {
        System.out.println("The copy queue is PAUSED ('fanout jobs resume' resumes it).");
      }
      List<CopyJob> jobs = new CopyJobReports(instance.transactions()).list(filter);
      System.out.printf("%-7s %-7s %-32s %-14s %-5s %-10s %-8s %s%n", "JOB", "KIND", "TABLE", "DESTINATION", "SEQ",
          "STATE", "TRIES", "LAST ERROR / FINISHED");
      for (CopyJob j : jobs) {
        System.out.printf("%-7d %-7s %-32s %-14s %-5d %-10s %-8d %s%n", j.id(), j.kind(), j.table(), j.destination(),
            j.seq(), j.state(), j.attempts(), tail(j));
      }
      if (jobs.isEmpty()) {
        System.out.println("(no copy jobs)");
      }
      return 0;
    }
  }

  private static String tail(CopyJob j) {
    return switch (j.state()) {
      case DONE -> String.valueOf(j.finished());
      case CANCELLED -> "cancelled by " + j.cancelledBy() + " at " + j.finished();
      default -> j.lastError() == null ? ""
          : (j.flagged(FLAG_AFTER) && j.state() != CopyJobState.FLAGGED ? "FLAGGED: " : "") + firstLine(j.lastError());
    };
  }

  private static String firstLine(String s) {
    String line = s.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 159) + "…" : line;
  }

  @Command(name = "show", description = "Show one job and its tries.")
  static final class Show implements Callable<Integer> {
    @ParentCommand JobsCommand parent;
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id (see 'fanout jobs').") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        CopyJob j = new CopyJobReports(instance.transactions()).require(id);
        System.out.println("job:          " + j.id());
        System.out.println("kind:         " + j.kind());
        System.out.println("table:        " + j.table());
        System.out.println("destination:  " + j.destination());
        System.out.println((j.kind() == CopyJob.Kind.MIRROR ? "snapshot:     " : "import:       ") + j.importId()
            + " (number " + j.seq() + " to this destination)");
        System.out.println("state:        " + j.state() + stateNote(j));
        System.out.println("tries:        " + j.attempts());
        System.out.println("next try:     " + (j.state() == CopyJobState.FAILED ? Instant.ofEpochMilli(j.nextAttemptMillis()) : "-"));
        System.out.println("last error:   " + (j.lastError() == null ? "-" : j.lastError()));
        System.out.println("from:         " + j.sourcePath());
        System.out.println("to:           " + j.targetPath());
        System.out.println("bytes copied: " + j.bytesCopied());
        System.out.println("created:      " + j.created());
        System.out.println("finished:     " + (j.finished() == null ? "-" : j.finished()));
        if (j.state() == CopyJobState.CANCELLED) {
          System.out.println("cancelled by: " + j.cancelledBy());
        }
        for (CopyJobRun r : new CopyJobReports(instance.transactions()).runs(id)) {
          System.out.println("  try by " + r.leaseOwner() + " at " + r.started() + ": "
              + (r.outcome() == null ? "running" : r.outcome()) + (r.error() == null ? "" : " (" + firstLine(r.error()) + ")"));
        }
        return 0;
      }
    }
  }

  private static String stateNote(CopyJob j) {
    if (j.state() == CopyJobState.FLAGGED) {
      return " (needs a person: no retry mends it; fix the cause and 'fanout jobs retry " + j.id()
          + "', or 'fanout jobs cancel " + j.id() + "')";
    }
    return j.flagged(FLAG_AFTER) ? " (FLAGGED)" : "";
  }

  @Command(name = "retry", description = "Try a failed or queued job again now; put a flagged one back in the queue.")
  static final class Retry implements Callable<Integer> {
    @ParentCommand JobsCommand parent;
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id (see 'fanout jobs').") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        CopyJob j = new CopyJobQueue(instance.transactions()).retryNow(id);
        System.out.println("Copy job " + j.id() + " (" + j.table() + " to " + j.destination() + ") is due now.");
        return 0;
      }
    }
  }

  @Command(name = "cancel", description = "Drop a pending or flagged job for good; its destination misses what it"
      + " carried (an incremental table then needs a full sync or import there first).")
  static final class Cancel implements Callable<Integer> {
    @ParentCommand JobsCommand parent;
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id (see 'fanout jobs').") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        CopyJob j = new CopyJobQueue(instance.transactions()).cancel(id, person());
        CopyJobRunner.cleanUp(instance, j);
        System.out.println("Copy job " + j.id() + " (" + j.describe() + " to " + j.destination() + ") is cancelled.");
        if (j.kind() == CopyJob.Kind.IMPORT) {
          System.out.println("Before the next incremental import of " + j.table() + ", " + j.destination()
              + " needs the whole table: run 'fanout sync --full --table " + j.table() + " --to " + j.destination()
              + "' or re-import the table there (a full import).");
        }
        return 0;
      }
    }
  }

  /** Who cancels: the operating system user at this host, as a lease owner names its host. */
  static String person() {
    String runtime = ManagementFactory.getRuntimeMXBean().getName();
    return System.getProperty("user.name") + "@" + runtime.substring(runtime.indexOf('@') + 1);
  }

  @Command(name = "pause", description = "Servers start no new copy job until 'jobs resume' (running ones finish).")
  static final class Pause implements Callable<Integer> {
    @ParentCommand JobsCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        instance.configuration().pauseCopies(true);
        System.out.println("Copy queue paused; running copies finish, no new one starts.");
        return 0;
      }
    }
  }

  @Command(name = "resume", description = "Let servers start copy jobs again.")
  static final class Resume implements Callable<Integer> {
    @ParentCommand JobsCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        instance.configuration().pauseCopies(false);
        System.out.println("Copy queue resumed.");
        return 0;
      }
    }
  }
}
