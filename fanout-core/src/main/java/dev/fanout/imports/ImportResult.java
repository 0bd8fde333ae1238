package dev.fanout.imports;

import dev.fanout.metadata.ImportStatistics;

/** The outcome of {@code fanout import}: the statistics written, and whether a previous run was resumed. */
public record ImportResult(ImportStatistics statistics, boolean resumed) {}
