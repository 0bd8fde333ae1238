package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import java.util.Locale;

/**
 * Which engine runs a table's stage step ({@code import_tables.stage_engine}, else the instance's default).
 * Both read the same split plan and leave the same staging directory, so copy, load and verify do not
 * know which one ran.
 */
public enum StageEngine {
  /** the local stage writer: one thread and JDBC session per split in the importing process. */
  LOCAL,
  /** the Spark stage writer: a Spark job, one partition per split, on {@code local[N]} or a cluster. */
  SPARK;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StageEngine of(String code) {
    for (StageEngine e : values()) {
      if (e.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
        return e;
      }
    }
    throw new FanoutException("Stage engine '" + code + "' is not known; use local or spark.");
  }
}
