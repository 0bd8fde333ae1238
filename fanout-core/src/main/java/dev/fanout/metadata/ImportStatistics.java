package dev.fanout.metadata;

import java.time.Instant;

/** An {@code import_statistics} row: what one import read, staged and loaded, and how long it took. */
public record ImportStatistics(
    long tableId,
    TableName target,
    String importId,
    ImportType importType,
    EtlMode etlMode,
    String incrMinValue,
    String incrMaxValue,
    int sessions,
    long sourceRows,
    long stagedRows,
    long loadedRows,
    long lakeRows,
    long stagedBytes,
    Long snapshotId,
    Instant start,
    Instant stageStop,
    Instant stop) {}
