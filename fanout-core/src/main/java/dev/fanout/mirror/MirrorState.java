package dev.fanout.mirror;

import dev.fanout.metadata.TableName;
import java.time.Instant;

/**
 * What the last sync of a table to a destination left: the source table (by UUID) and snapshot up to
 * which every change is there ({@code null} after only partition-filtered syncs), the destination's
 * snapshot it made, how it ran and what it copied.
 */
public record MirrorState(TableName table, String destination, String sourceUuid, Long syncedSnapshotId,
    Long targetSnapshotId, MirrorMode lastMode, long filesCopied, long bytesCopied, Instant syncedAt) {}
