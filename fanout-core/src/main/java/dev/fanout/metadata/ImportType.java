package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import java.util.Locale;

/** {@code import_phase_type}: read the whole table, or only the rows past the watermark. */
public enum ImportType {
  FULL, INCR;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ImportType of(String code) {
    return Codes.parse(ImportType.class, code, "import type");
  }
}
