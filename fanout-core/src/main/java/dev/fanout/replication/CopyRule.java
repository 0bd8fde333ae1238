package dev.fanout.replication;

/** A {@code copy_tables} row: tables matching {@code filter} are copied to {@code destination}. */
public record CopyRule(long id, TableFilter filter, String destination, DataTransfer transfer) {}
