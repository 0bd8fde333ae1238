package dev.fanout.mirror;

import dev.fanout.replication.TableFilter;
import java.time.Instant;

/** Sync on commit: every table matching the filter is synced to the destination after each new snapshot. */
public record MirrorRule(long id, TableFilter filter, String destination, Instant created) {}
