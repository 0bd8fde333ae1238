package dev.fanout.metadata;

/**
 * {@code etl_phase_type}: how staged rows become the lake table. {@code truncate_insert} replaces the
 * table, {@code insert} appends, {@code merge} upserts by primary key.
 */
public enum EtlMode {
  TRUNCATE_INSERT, INSERT, MERGE;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static EtlMode of(String code) {
    return Codes.parse(EtlMode.class, code, "ETL mode");
  }
}
