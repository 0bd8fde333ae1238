package dev.fanout.status;

import dev.fanout.failure.FanoutException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When a DAG's schedule next fires after a given time, in UTC as Airflow schedules by default: the
 * Airflow presets and plain 5-field cron (numbers, names, ranges, steps, lists; a 6th seconds field is
 * ignored). {@code @once} and {@code @continuous} have no next time.
 */
public final class CronSchedule {
  private static final Map<String, String> PRESETS = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
      "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@quarterly", "0 0 1 */3 *", "@yearly", "0 0 1 1 *",
      "@annually", "0 0 1 1 *");
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
      "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
  /** Far enough for any valid expression (29 February on a Monday recurs within 28 years). */
  private static final int SEARCH_YEARS = 30;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;
  private final boolean never;

  private CronSchedule(String text, String[] f, boolean never) {
    this.text = text;
    this.never = never;
    minutes = field(f[0], 0, 59, List.of(), 0);
    hours = field(f[1], 0, 23, List.of(), 0);
    daysOfMonth = field(f[2], 1, 31, List.of(), 0);
    months = field(f[3], 1, 12, MONTHS, 1);
    BitSet dow = field(f[4], 0, 7, DAYS, 0);
    if (dow.get(7)) {
      dow.set(0); // 7 is Sunday too
    }
    daysOfWeek = dow;
    anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
    anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
  }

  /** Reads an Airflow schedule as {@code Dag} stores it: a preset or a cron expression. */
  public static CronSchedule parse(String schedule) {
    String s = schedule.trim().toLowerCase(Locale.ROOT);
    if (s.equals("@once") || s.equals("@continuous")) {
      return new CronSchedule(schedule, "* * * * *".split(" "), true);
    }
    String cron = s.startsWith("@") ? PRESETS.get(s) : s;
    if (cron == null) {
      throw new FanoutException("Schedule '" + schedule + "' is not an Airflow preset this version knows.");
    }
    String[] fields = cron.split("\\s+");
    if (fields.length != 5 && fields.length != 6) {
      throw new FanoutException("Schedule '" + schedule + "' is not a cron expression of 5 fields.");
    }
    return new CronSchedule(schedule, fields, false);
  }

  /** The first time strictly after {@code after} (to the minute) at which the schedule fires. */
  public Optional<Instant> nextAfter(Instant after) {
    if (never) {
      return Optional.empty();
    }
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime end = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(end)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  /** Cron's rule: when both day fields are restricted, either one matching is enough. */
  private boolean dayMatches(LocalDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private BitSet field(String field, int min, int max, List<String> names, int firstName) {
    BitSet out = new BitSet(max + 1);
    for (String part : field.toUpperCase(Locale.ROOT).split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, List.of(), 0);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.indexOf('-') > 0) {
        from = number(range.substring(0, range.indexOf('-')), min, max, names, firstName);
        to = number(range.substring(range.indexOf('-') + 1), min, max, names, firstName);
      } else {
        from = number(range, min, max, names, firstName);
        to = slash >= 0 ? max : from;
      }
      if (to < from) {
        throw bad();
      }
      for (int v = from; v <= to; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private int number(String s, int min, int max, List<String> names, int firstName) {
    int named = names.indexOf(s);
    if (named >= 0) {
      return named + firstName;
    }
    try {
      int v = Integer.parseInt(s);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw bad();
  }

  private FanoutException bad() {
    return new FanoutException("Schedule '" + text + "' uses cron features this status cannot follow"
        + " (only numbers, names, ranges, steps and lists).");
  }

  @Override
  public String toString() {
    return text;
  }
}
