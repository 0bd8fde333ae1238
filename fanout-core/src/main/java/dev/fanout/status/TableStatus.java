package dev.fanout.status;

import dev.fanout.metadata.TableName;
import java.time.Instant;

/**
 * One imported table at a glance: its last import's end, the lake's row count after it, and when its
 * DAG's schedule next fires ({@code dag} null: in no scheduled DAG; {@code nextDue} null with a DAG: a
 * schedule without a next time, such as {@code @once}).
 */
public record TableStatus(TableName table, Instant lastImport, Long rows, String dag, String schedule,
    Instant nextDue) {

  /** The next due time as the status shows it. */
  public String nextDueText() {
    if (dag == null) {
      return "not scheduled";
    }
    return nextDue == null ? schedule + " (no next run)" : Utc.text(nextDue);
  }
}
