package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import java.util.Locale;
import java.util.regex.Pattern;

/** A lake table name, {@code db.table}: lower case letters, digits and '_', as Hive and Iceberg users expect. */
public record TableName(String db, String table) {
  private static final Pattern PART = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

  public TableName {
    if (!PART.matcher(db).matches() || !PART.matcher(table).matches()) {
      throw new FanoutException("Target '" + db + "." + table + "' is not a valid db.table name"
          + " (letters, digits and '_', not starting with a digit).");
    }
  }

  public static TableName parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int dot = t.indexOf('.');
    if (dot <= 0 || dot != t.lastIndexOf('.') || dot == t.length() - 1) {
      throw new FanoutException("Target '" + text + "' is not of the form db.table.");
    }
    return new TableName(t.substring(0, dot), t.substring(dot + 1));
  }

  /** Turns any source name into a valid lake name part: lower case, other characters replaced by '_'. */
  public static String sanitize(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return Character.isDigit(s.charAt(0)) ? "_" + s : s;
  }

  @Override
  public String toString() {
    return db + "." + table;
  }
}
