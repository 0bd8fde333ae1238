package dev.fanout.mirror;

/** How a sync ran: what it compared and what it copied. */
public enum MirrorMode {
  /** The destination table did not exist: created with the same schema and specs, then filled. */
  FIRST,
  /** Only the commits since the last synced snapshot were replayed. */
  INCREMENTAL,
  /** The destination was made equal to the source's current snapshot, file by file. */
  FULL,
  /** Nothing changed since the last sync. */
  NOTHING
}
