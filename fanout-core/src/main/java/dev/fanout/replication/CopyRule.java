package dev.fanout.replication;

/**
 * A {@code copy_tables} row: tables matching {@code filter} are copied to {@code destination}. With
 * {@code allowBacklog}, incremental imports go on while earlier copies to that destination are pending
 * (they queue up in order): what a failover's reverse rules need while the old primary is away.
 */
public record CopyRule(long id, TableFilter filter, String destination, DataTransfer transfer, boolean allowBacklog) {}
