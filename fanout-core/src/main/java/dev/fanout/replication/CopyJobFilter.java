package dev.fanout.replication;

import dev.fanout.metadata.TableName;

/** Which jobs to list: any of the three may be null, meaning all. */
public record CopyJobFilter(CopyJobState state, TableName table, String destination, int limit) {
  public static CopyJobFilter all() {
    return new CopyJobFilter(null, null, null, 1000);
  }
}
