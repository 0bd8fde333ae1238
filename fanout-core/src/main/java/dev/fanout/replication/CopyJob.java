package dev.fanout.replication;

import dev.fanout.metadata.TableName;
import java.time.Instant;
import java.util.Locale;

/**
 * One asynchronous job to one destination instance, as {@code copy_jobs} holds it: the copy of a staged
 * import, or a mirror of a lake table ({@link Kind}). {@code seq} orders the jobs of a table to a
 * destination; {@code nextAttempt} is in epoch milliseconds; {@code leaseOwner} names the server running
 * it (the lease itself is in {@code leases}). {@code cancelledBy} says who cancelled a CANCELLED job
 * ({@code finished} says when).
 */
public record CopyJob(
    long id,
    Kind kind,
    long tableId,
    TableName table,
    String destination,
    String importId,
    long seq,
    String sourcePath,
    String targetPath,
    CopyJobState state,
    int attempts,
    String lastError,
    long nextAttemptMillis,
    String leaseOwner,
    long bytesCopied,
    Instant created,
    Instant started,
    Instant finished,
    String cancelledBy) {

  /** What a job delivers, from {@code copy_jobs.job_kind}. */
  public enum Kind {
    /** One staged import of an imported table, loaded by the destination's next import. */
    IMPORT,
    /** A table mirror ({@code fanout sync-rule}): whatever the lake table holds when it runs. */
    MIRROR;

    /** Reads the column; {@code SYNC} is what releases before the MIRROR name wrote. */
    public static Kind of(String code) {
      String c = code.trim().toUpperCase(Locale.ROOT);
      return c.equals("SYNC") ? MIRROR : valueOf(c);
    }
  }

  /** True once the job needs a person: flagged by a failure no retry mends, or failing for long. */
  public boolean flagged(int flagAfterAttempts) {
    return state == CopyJobState.FLAGGED
        || (state.pending() && lastError != null && attempts >= flagAfterAttempts);
  }

  /** What it carries, for messages: "import X of db.t" or "mirror of db.t". */
  public String describe() {
    return kind == Kind.MIRROR ? "mirror of " + table : "import " + importId + " of " + table;
  }
}
