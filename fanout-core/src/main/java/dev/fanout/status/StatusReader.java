package dev.fanout.status;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.TableLag;
import dev.fanout.schedule.Dag;
import dev.fanout.schedule.DagRepository;
import dev.fanout.verify.VerifyResultRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads what the status shows from the metadata database; shared by {@code fanout status} and the page. */
public final class StatusReader {
  /** How many imports, copies and verifies a table's page shows. */
  public static final int HISTORY = 50;

  private final Instance instance;
  private final CopyJobReports jobs;

  public StatusReader(Instance instance) {
    this.instance = instance;
    this.jobs = new CopyJobReports(instance.transactions());
  }

  public StatusReport read(int flagAfterAttempts, Instant now) {
    List<TableLag> lag = jobs.lag();
    return new StatusReport(now, flagAfterAttempts, destinations(lag), tables(now), lag);
  }

  private List<DestinationStatus> destinations(List<TableLag> lag) {
    Map<String, List<TableLag>> byDestination = new TreeMap<>();
    lag.forEach(l -> byDestination.computeIfAbsent(l.destination(), d -> new ArrayList<>()).add(l));
    List<CopyJob> failing = jobs.failing();
    List<DestinationStatus> out = new ArrayList<>();
    byDestination.forEach((destination, its) -> out.add(new DestinationStatus(destination,
        its.stream().mapToInt(TableLag::pendingJobs).sum(),
        its.stream().map(TableLag::oldestPending).filter(t -> t != null).min(Instant::compareTo).orElse(null),
        its.stream().mapToDouble(TableLag::lagSeconds).max().orElse(0),
        its.stream().map(TableLag::copyFinished).filter(t -> t != null).max(Instant::compareTo).orElse(null),
        failing.stream().filter(j -> j.destination().equals(destination)).toList())));
    return out;
  }

  private List<TableStatus> tables(Instant now) {
    List<ImportTable> all = instance.tables().list();
    List<Dag> dags = new DagRepository(instance.transactions()).list();
    Map<Long, Instant> lastImports = instance.statistics().lastImports();
    List<TableStatus> out = new ArrayList<>();
    for (ImportTable t : all) {
      Dag dag = null;
      Instant next = null;
      for (Dag d : dags) {
        if (d.schedule() == null || !d.filter().matches(t.target())) {
          continue;
        }
        Instant when = nextRun(d, now);
        if (dag == null || (when != null && (next == null || when.isBefore(next)))) {
          dag = d;
          next = when;
        }
      }
      out.add(new TableStatus(t.target(), lastImports.get(t.id()), t.lakeRowCount(),
          dag == null ? null : dag.name(), dag == null ? null : dag.schedule(), next));
    }
    return out;
  }

  /** Null when the schedule has no next run, or uses cron features not followed here. */
  private static Instant nextRun(Dag dag, Instant now) {
    try {
      return CronSchedule.parse(dag.schedule()).nextAfter(now).orElse(null);
    } catch (FanoutException e) {
      return null;
    }
  }

  /** Each destination's lag over the {@code window} before {@code now}. */
  public Map<String, List<LagHistory.Point>> lagHistory(Duration window, Instant now) {
    Instant from = now.minus(window);
    List<LagHistory.Job> recent = jobs.activeSince(from).stream()
        .map(j -> new LagHistory.Job(j.destination(), j.created(), j.finished())).toList();
    return LagHistory.of(recent, from, now);
  }

  /** A table's imports, copy jobs and verifies, newest first. */
  public TableHistory table(TableName table) {
    return new TableHistory(table, instance.statistics().recent(table, HISTORY),
        jobs.list(new CopyJobFilter(null, table, null, HISTORY)),
        new VerifyResultRepository(instance.transactions()).recent(table, HISTORY));
  }
}
