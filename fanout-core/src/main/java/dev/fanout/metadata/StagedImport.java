package dev.fanout.metadata;

import java.time.Instant;

/**
 * A {@code staged_imports} row: one complete staging directory and the read it came from. {@code STAGED}
 * until the load commits, then {@code LOADED}; {@code REJECTED} when validation refused it.
 */
public record StagedImport(
    String importId,
    long tableId,
    String stagingPath,
    State state,
    ImportType importType,
    String incrMinValue,
    String incrMaxValue,
    long sourceRows,
    long stagedRows,
    long stagedBytes,
    Instant created) {

  /** {@code SUPERSEDED}: a copied full import older than one already loaded, never loaded over it. */
  public enum State { STAGED, LOADED, REJECTED, SUPERSEDED }
}
