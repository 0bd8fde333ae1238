package dev.fanout.replication;

import dev.fanout.metadata.TableName;
import java.time.Instant;

/**
 * How far one destination is behind for one table: its pending jobs, the oldest one's age in seconds
 * (0 when none is pending), and when the last copy finished there ({@code copy_finished}).
 */
public record TableLag(TableName table, String destination, int pendingJobs, int failingJobs, Instant oldestPending,
    double lagSeconds, Instant copyFinished) {}
