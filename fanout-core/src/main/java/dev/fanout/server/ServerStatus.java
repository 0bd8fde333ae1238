package dev.fanout.server;

import java.time.Instant;

/** What the HTTP API and the status page may ask of a running server, and the one thing they may tell it. */
public interface ServerStatus {
  /** This server's lease owner name, {@code pid@host/nonce}. */
  String owner();

  Instant startedAt();

  int workers();

  /** Jobs this server is copying now. */
  int running();

  /** Pending jobs with at least this many failed tries are flagged. */
  int flagAfterAttempts();

  /** Asks the workers to look for due jobs now instead of at their next poll. */
  void wake();
}
