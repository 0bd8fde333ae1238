package dev.fanout.schedule;

import dev.fanout.failure.BadInputException;
import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.ImportTable;
import dev.fanout.replication.TableFilter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An {@code airflow_dags} row: a named group of tables (by filter) that a scheduler imports together, on
 * a schedule, in a pool, with retries. Every value is checked here, so what is stored can always be
 * written into an Airflow DAG file and accepted there; a value that is not is bad input (exit 2).
 *
 * @param schedule an Airflow preset such as {@code @daily}, a cron expression, or null for no schedule
 *     (runs only when triggered)
 * @param pool an Airflow pool, or null for Airflow's default pool
 */
public record Dag(String name, TableFilter filter, String schedule, String pool, int retries) {
  public static final String DEFAULT_SCHEDULE = "@daily";
  public static final int MAX_RETRIES = 100;

  /** Airflow's dag_id characters, and a leading letter or digit so the file name is not hidden. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
  private static final Set<String> PRESETS = Set.of("@once", "@continuous", "@hourly", "@daily", "@weekly",
      "@monthly", "@quarterly", "@yearly", "@annually");
  /** One cron field: numbers, names (JAN, MON), ranges, steps, lists and croniter's ? L W #. */
  private static final Pattern CRON_FIELD = Pattern.compile("[0-9A-Za-z*/,?#-]+");

  public Dag {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadInputException("DAG name '" + name + "' is not valid; use up to 100 letters, digits, '_', '.' or '-',"
          + " starting with a letter or digit.");
    }
    if (filter == null) {
      throw new FanoutException("DAG '" + name + "' needs a table filter such as 'sales.*;hr.employees'.");
    }
    schedule = normalizeSchedule(schedule);
    if (pool != null && !POOL.matcher(pool).matches()) {
      throw new BadInputException("Pool '" + pool + "' is not a valid Airflow pool name; use letters, digits, '_', '.' or '-'.");
    }
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new BadInputException("Retries must be between 0 and " + MAX_RETRIES + ", not " + retries + ".");
    }
  }

  /** Null, blank or {@code none} is no schedule; otherwise a preset or a cron expression of 5 or 6 fields. */
  private static String normalizeSchedule(String schedule) {
    if (schedule == null || schedule.isBlank() || schedule.trim().equalsIgnoreCase("none")) {
      return null;
    }
    String s = schedule.trim().replaceAll("\\s+", " ");
    if (s.startsWith("@")) {
      if (PRESETS.contains(s.toLowerCase(Locale.ROOT))) {
        return s.toLowerCase(Locale.ROOT);
      }
      throw new BadInputException("Schedule '" + schedule + "' is not an Airflow preset; use one of "
          + String.join(", ", PRESETS.stream().sorted().toList()) + ", a cron expression such as '0 2 * * *', or none.");
    }
    String[] fields = s.split(" ");
    boolean cron = (fields.length == 5 || fields.length == 6)
        && java.util.Arrays.stream(fields).allMatch(f -> CRON_FIELD.matcher(f).matches());
    if (!cron) {
      throw new BadInputException("Schedule '" + schedule + "' is not a cron expression such as '0 2 * * *' nor a preset"
          + " such as '@daily' (or none).");
    }
    CronFields.problem(fields).ifPresent(p -> {
      throw new BadInputException("Schedule '" + schedule + "' would be rejected by Airflow: " + p + ".");
    });
    return s;
  }

  /** The tables of this DAG among {@code all}, in their order. */
  public List<ImportTable> tables(List<ImportTable> all) {
    return all.stream().filter(t -> filter.matches(t.target())).toList();
  }
}
