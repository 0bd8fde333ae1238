package dev.fanout.imports;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.CopyRule;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses an incremental import while an earlier increment of the table has not reached every
 * destination: the next increment would land there before it, or it would be lost there for good.
 * Checked before the source is read. Destinations whose rule allows a backlog (a failover's reverse
 * rules) are left out: their jobs queue up and run in order.
 */
final class IncrementalGuard {
  private final CopyJobReports jobs;
  private final List<CopyRule> rules;

  IncrementalGuard(CopyJobReports jobs, List<CopyRule> rules) {
    this.jobs = jobs;
    this.rules = rules;
  }

  void check(ImportTable table) {
    Set<String> backlogAllowed = rules.stream()
        .filter(r -> r.allowBacklog() && r.filter().matches(table.target()))
        .map(CopyRule::destination).collect(Collectors.toSet());
    List<CopyJob> pending = jobs.pendingFor(table.id()).stream()
        .filter(j -> !backlogAllowed.contains(j.destination())).toList();
    if (pending.isEmpty()) {
      refuseHoles(table);
      return;
    }
    CopyJob first = pending.get(0);
    String error = first.lastError() == null ? "none yet" : first.lastError();
    String more = pending.size() == 1 ? "" : " (" + (pending.size() - 1) + " more pending)";
    throw new FanoutException("Incremental import of " + table.target() + " refused: the copy of its import "
        + first.importId() + " to instance " + first.destination() + " has not finished (job " + first.id()
        + ", " + first.state() + ", " + first.attempts() + " attempts, last error: " + error + ")" + more
        + "; a new increment now would reach that destination out of order. Nothing was read from the source;"
        + " run the import again once 'fanout jobs --table " + table.target() + "' shows the job DONE"
        + (first.state() == CopyJobState.FLAGGED ? " (it is FLAGGED: no retry mends it; fix its cause and run 'fanout"
            + " jobs retry " + first.id() + "', or 'fanout jobs cancel " + first.id() + "')" : "") + ".");
  }

  /**
   * A cancelled copy left the destination without that increment; the next one would land on a hole
   * until a full copy of the table has reached it (which marks the cancelled job mended).
   */
  private void refuseHoles(ImportTable table) {
    List<CopyJob> holes = jobs.holes(table.id());
    if (holes.isEmpty()) {
      return;
    }
    CopyJob first = holes.get(0);
    TableName t = table.target();
    throw new FanoutException("Incremental import of " + t + " refused: copy job " + first.id() + " of its import "
        + first.importId() + " to instance " + first.destination() + " was cancelled (by " + first.cancelledBy()
        + " at " + first.finished() + "), so " + first.destination() + " misses that increment and needs the whole"
        + " table before the next one (nothing was read from the source); run 'fanout sync --full --table " + t
        + " --to " + first.destination() + "' or re-import the table there (a full import).");
  }
}
