package dev.fanout.mirror;

import dev.fanout.metadata.TableName;
import java.util.Objects;

/**
 * One {@code fanout sync}: which table to which instance, optionally narrowed to partitions
 * ({@code col=value,...}), forced to a full copy, and allowed to replace a destination table that is not
 * a replica of this one ({@code force}, only with {@code full}); {@code filesElsewhere} also copies data files
 * that the source table's writers put outside its location and declared data paths.
 */
public record MirrorRequest(TableName table, String destination, String partitionFilter, boolean full, boolean force,
    boolean filesElsewhere) {
  public MirrorRequest {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(destination, "destination");
    if (partitionFilter != null && partitionFilter.isBlank()) {
      partitionFilter = null;
    }
  }

  public static MirrorRequest of(TableName table, String destination) {
    return new MirrorRequest(table, destination, null, false, false, false);
  }
}
