package dev.fanout.metadata;

/**
 * {@code import_tables.merge_deletes}: what a merge does with keys that are no longer at the source.
 * {@code none} only upserts; {@code detect} deletes them from the lake table in the merge's own commit.
 */
public enum MergeDeletes {
  NONE, DETECT;

  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static MergeDeletes of(String code) {
    return Codes.parse(MergeDeletes.class, code, "delete handling");
  }
}
