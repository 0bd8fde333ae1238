package dev.fanout.metadata;

/**
 * {@code incr_mode}: {@code append} reads rows whose increasing column is above the watermark;
 * {@code lastmodified} reads rows changed since the watermark and merges them by primary key.
 */
public enum IncrMode {
  APPEND, LASTMODIFIED;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static IncrMode of(String code) {
    return Codes.parse(IncrMode.class, code, "incremental mode");
  }
}
