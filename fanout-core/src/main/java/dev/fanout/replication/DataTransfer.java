package dev.fanout.replication;

import dev.fanout.failure.FanoutException;

/**
 * {@code copy_tables.data_transfer}: {@code Synchronous} copies inside the import, before its own load;
 * {@code Asynchronous} hands the copy to the Fanout server. A table that matches both kinds of rule
 * for one destination is copied once, synchronously: the stronger promise wins.
 */
public enum DataTransfer {
  SYNCHRONOUS("Synchronous"), ASYNCHRONOUS("Asynchronous");

  private final String code;

  DataTransfer(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** Accepts the stored codes and the CLI's short forms {@code sync} and {@code async}. */
  public static DataTransfer of(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.equals("sync") || t.equals("synchronous")) {
        return SYNCHRONOUS;
      }
      if (t.equals("async") || t.equals("asynchronous")) {
        return ASYNCHRONOUS;
      }
    }
    throw new FanoutException("Unknown transfer '" + text + "'; use sync or async.");
  }
}
