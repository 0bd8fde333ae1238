package dev.fanout.status;

import dev.fanout.replication.CopyJob;
import java.time.Instant;
import java.util.List;

/**
 * One destination at a glance: its pending jobs, the oldest one's creation, how far behind it is (the
 * oldest pending job's age, 0 when none), its last {@code copy_finished}, and its failing jobs.
 */
public record DestinationStatus(String destination, int pendingJobs, Instant oldestPending, double lagSeconds,
    Instant copyFinished, List<CopyJob> failing) {}
