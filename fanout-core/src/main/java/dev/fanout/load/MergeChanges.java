package dev.fanout.load;

import java.util.Map;

/**
 * What a comparing merge found: rows new to the table, rows whose content changed, keys that left the
 * source, and rows it left alone. Kept in the commit's snapshot summary, so a rerun after a crash reports
 * the same figures.
 */
public record MergeChanges(long inserted, long updated, long deleted, long unchanged) {
  static final String INSERTED = "fanout.inserted-rows";
  static final String UPDATED = "fanout.updated-rows";
  static final String DELETED = "fanout.deleted-rows";
  static final String UNCHANGED = "fanout.unchanged-rows";

  Map<String, String> summary() {
    return Map.of(INSERTED, Long.toString(inserted), UPDATED, Long.toString(updated),
        DELETED, Long.toString(deleted), UNCHANGED, Long.toString(unchanged));
  }

  /** The figures of a commit, or null for a commit that did not compare rows. */
  static MergeChanges fromSummary(Map<String, String> summary) {
    if (!summary.containsKey(INSERTED)) {
      return null;
    }
    return new MergeChanges(Long.parseLong(summary.get(INSERTED)), Long.parseLong(summary.get(UPDATED)),
        Long.parseLong(summary.get(DELETED)), Long.parseLong(summary.get(UNCHANGED)));
  }

  @Override
  public String toString() {
    return inserted + " new, " + updated + " changed, " + deleted + " deleted, " + unchanged + " unchanged";
  }
}
