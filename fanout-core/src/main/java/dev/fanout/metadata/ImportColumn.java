package dev.fanout.metadata;

/**
 * An {@code import_columns} row: a source column as the source describes it, and the lake type it
 * lands as. {@code primaryKeyPosition} is 1-based, 0 when the column is not part of the key.
 */
public record ImportColumn(
    String name,
    int order,
    String sourceType,
    int jdbcType,
    int precision,
    int scale,
    String lakeType,
    int primaryKeyPosition,
    boolean included) {

  public ImportColumn withOrder(int newOrder) {
    return new ImportColumn(name, newOrder, sourceType, jdbcType, precision, scale, lakeType, primaryKeyPosition, included);
  }

  public ImportColumn excluded() {
    return new ImportColumn(name, order, sourceType, jdbcType, precision, scale, lakeType, primaryKeyPosition, false);
  }
}
