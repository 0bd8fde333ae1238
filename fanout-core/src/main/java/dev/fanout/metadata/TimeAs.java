package dev.fanout.metadata;

/**
 * {@code import_tables.time_as}: how a source {@code TIME} column lands. {@code string} (the default) keeps
 * the source's own text ("23:59:59.123456", and MariaDB's durations such as "-838:59:59"), which every engine
 * reads; {@code time} is Iceberg's time type, which Trino and Flink read but Spark 3.5 refuses for the whole
 * table. Tables imported before the choice existed keep {@code time}.
 */
public enum TimeAs {
  STRING, TIME;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static TimeAs of(String code) {
    return Codes.parse(TimeAs.class, code, "--time-as");
  }
}
