package dev.fanout.status;

import dev.fanout.replication.CopyJob;
import dev.fanout.replication.TableLag;
import java.time.Instant;
import java.util.List;

/**
 * Everything {@code fanout status} and the status page show, read at {@code now}: per destination, per
 * table and per table and destination. A job counts as flagged after {@code flagAfterAttempts} failed tries
 * (or when no retry can mend it).
 */
public record StatusReport(Instant now, int flagAfterAttempts, List<DestinationStatus> destinations,
    List<TableStatus> tables, List<TableLag> lag) {

  /** Failing jobs of every destination, flagged ones first, then oldest first. */
  public List<CopyJob> failing() {
    return destinations.stream().flatMap(d -> d.failing().stream())
        .sorted((a, b) -> a.flagged(flagAfterAttempts) != b.flagged(flagAfterAttempts)
            ? (a.flagged(flagAfterAttempts) ? -1 : 1) : Long.compare(a.id(), b.id()))
        .toList();
  }

  /** True when a job needs a person: what makes {@code fanout status} exit 1. */
  public boolean flagged() {
    return failing().stream().anyMatch(j -> j.flagged(flagAfterAttempts));
  }
}
