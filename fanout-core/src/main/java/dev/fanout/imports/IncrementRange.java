package dev.fanout.imports;

import dev.fanout.source.SourceDialect;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.Watermark;
import org.apache.iceberg.types.Type;

/**
 * The rows of one increment: above the stored watermark (exclusive) and up to the column's maximum when
 * the import started (inclusive). The first increment also takes rows where the column is NULL.
 */
record IncrementRange(String column, Type type, String lower, String upper) {

  SqlFragment filter(SourceDialect dialect) {
    String col = dialect.quote(column);
    if (upper == null) {
      // the source has no value in the column at all: nothing new, or (first run) only NULLs
      return lower == null ? SqlFragment.of(col + " IS NULL") : SqlFragment.of("1 = 0");
    }
    Object hi = Watermark.parse(upper, type);
    if (lower == null) {
      return SqlFragment.of(col + " <= ? OR " + col + " IS NULL", hi);
    }
    return SqlFragment.of(col + " > ? AND " + col + " <= ?", Watermark.parse(lower, type), hi);
  }

  /** The watermark after this increment is loaded; it never moves backwards. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  String next() {
    if (upper == null || lower == null) {
      return upper == null ? lower : upper;
    }
    Comparable lo = (Comparable) Watermark.parse(lower, type);
    return lo.compareTo(Watermark.parse(upper, type)) >= 0 ? lower : upper;
  }
}
