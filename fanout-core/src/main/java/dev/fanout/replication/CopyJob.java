package dev.fanout.replication;

import dev.fanout.metadata.TableName;
import java.time.Instant;

/**
 * One asynchronous copy of one staged import to one destination instance, as {@code copy_jobs} holds it.
 * {@code seq} orders the jobs of a table to a destination; {@code nextAttempt} and the lease are epoch
 * milliseconds.
 */
public record CopyJob(
    long id,
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
    Long leaseExpiresMillis,
    long bytesCopied,
    Instant created,
    Instant started,
    Instant finished) {

  /** A sync of a lake table ({@code fanout sync-rule}), not the copy of a staged import. */
  public boolean sync() {
    return tableId < 0;
  }

  /** True once the job has failed often enough that a person should look at it; it is still retried. */
  public boolean flagged(int flagAfterAttempts) {
    return state.pending() && lastError != null && attempts >= flagAfterAttempts;
  }
}
