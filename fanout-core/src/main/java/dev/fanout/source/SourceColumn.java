package dev.fanout.source;

/** A column as the source database describes it. {@code primaryKeyPosition} is 1-based, 0 when not in the key. */
public record SourceColumn(
    String name, int jdbcType, String typeName, int precision, int scale, boolean signed, int primaryKeyPosition) {}
