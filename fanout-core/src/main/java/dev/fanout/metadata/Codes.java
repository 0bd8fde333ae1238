package dev.fanout.metadata;

import dev.fanout.failure.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case codes of options and metadata rows into enums; an unknown one is a bad input (exit 2). */
final class Codes {
  private Codes() {}

  static <E extends Enum<E>> E parse(Class<E> type, String code, String what) {
    if (code != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(code.trim())) {
          return e;
        }
      }
    }
    String allowed = Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    throw new BadInputException("Unknown " + what + " '" + code + "'; use one of: " + allowed + ".");
  }
}
