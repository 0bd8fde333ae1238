package dev.fanout.stage;

/** One Parquet file of a staging directory: its name there, size, rows and CRC-32C (hex). */
public record StagedFile(String name, long sizeBytes, long rowCount, String crc32c) {}
