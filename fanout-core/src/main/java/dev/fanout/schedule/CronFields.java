package dev.fanout.schedule;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ranges of a cron expression's fields as Airflow (croniter) checks them when it parses a DAG file:
 * minute 0-59, hour 0-23, day 1-31 (also L and W), month 1-12 or JAN-DEC, weekday 0-7 or SUN-SAT (also
 * #n and L), and a sixth field of seconds 0-59. A schedule Airflow would reject is refused when the DAG is
 * defined, not found later as a broken DAG in Airflow's import errors.
 */
final class CronFields {
  private record Field(String name, int min, int max, List<String> names, int firstName) {}

  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, List.of(), 0),
      new Field("hour", 0, 23, List.of(), 0),
      new Field("day of month", 1, 31, List.of(), 0),
      new Field("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
          "DEC"), 1),
      new Field("day of week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 0),
      new Field("second", 0, 59, List.of(), 0));
  /** One value: a number or a name, with croniter's L, W or #n around it. */
  private static final Pattern VALUE = Pattern.compile("([0-9]+|[A-Z]{3})?(L|W|LW|#[1-5])?");

  private CronFields() {}

  /** What is wrong with the fields of a cron expression, in the user's words, if anything. */
  static Optional<String> problem(String[] fields) {
    for (int i = 0; i < fields.length; i++) {
      Field field = FIELDS.get(i);
      for (String part : fields[i].toUpperCase(Locale.ROOT).split(",", -1)) {
        if (!valid(part, field)) {
          return Optional.of("its " + field.name() + " field '" + fields[i] + "' is not within " + field.min() + "-"
              + field.max() + (field.names().isEmpty() ? "" : " or " + field.names().get(0) + "-"
              + field.names().get(field.names().size() - 1)));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean valid(String part, Field field) {
    int slash = part.indexOf('/');
    String range = slash < 0 ? part : part.substring(0, slash);
    if (slash >= 0 && !inRange(part.substring(slash + 1), 1, field.max() - field.min() + 1)) {
      return false;
    }
    if (range.equals("*") || range.equals("?") || range.equals("L")) {
      return true;
    }
    int dash = range.indexOf('-', 1);
    return dash < 0 ? value(range, field) : value(range.substring(0, dash), field) && value(range.substring(dash + 1), field);
  }

  private static boolean value(String text, Field field) {
    Matcher m = VALUE.matcher(text);
    if (text.isEmpty() || !m.matches() || m.group(1) == null) {
      return false;
    }
    String v = m.group(1);
    String suffix = m.group(2);
    if (suffix != null && !(field.name().equals("day of month") ? !suffix.startsWith("#")
        : field.name().equals("day of week") && !suffix.contains("W"))) {
      return false;
    }
    if (Character.isLetter(v.charAt(0))) {
      return field.names().contains(v);
    }
    return inRange(v, field.min(), field.max());
  }

  private static boolean inRange(String text, int min, int max) {
    if (!text.matches("[0-9]{1,9}")) {
      return false;
    }
    int n = Integer.parseInt(text);
    return n >= min && n <= max;
  }
}
