package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TableName;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@code hive_filter}: {@code ;}-separated {@code db.table} patterns where {@code *} matches any run of
 * characters, e.g. {@code sales.*;hr.employees}. Matching ignores case, as lake names are lower case.
 */
public final class TableFilter {
  private static final Pattern PART = Pattern.compile("[a-z0-9_*]+");
  private final String text;
  private final List<Pattern> patterns;

  private TableFilter(String text, List<Pattern> patterns) {
    this.text = text;
    this.patterns = patterns;
  }

  public static TableFilter parse(String text) {
    if (text == null || text.isBlank()) {
      throw new FanoutException("A table filter cannot be empty; use patterns like 'sales.*;hr.employees'.");
    }
    List<Pattern> patterns = Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty())
        .map(TableFilter::compile).toList();
    return new TableFilter(text.trim(), patterns);
  }

  private static Pattern compile(String pattern) {
    String p = pattern.toLowerCase(Locale.ROOT);
    String[] parts = p.split("\\.", -1);
    if (parts.length != 2 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()) {
      throw new FanoutException("Filter pattern '" + pattern + "' is not of the form db.table (with * as wildcard).");
    }
    return Pattern.compile(p.replace(".", "\\.").replace("*", "[a-z0-9_]*"));
  }

  public boolean matches(TableName table) {
    String name = table.toString();
    return patterns.stream().anyMatch(p -> p.matcher(name).matches());
  }

  @Override
  public String toString() {
    return text;
  }
}
