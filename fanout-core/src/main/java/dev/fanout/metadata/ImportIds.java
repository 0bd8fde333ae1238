package dev.fanout.metadata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Import ids: the import's start in UTC to the millisecond and a random suffix, e.g.
 * {@code 20261205T130248070Z-da4801}. They name staging directories and data files, so one read from a
 * file or a row written elsewhere is checked against this form before it becomes part of a path.
 */
public final class ImportIds {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern FORM = Pattern.compile("\\d{8}T\\d{9}Z-[0-9a-f]{6}");

  private ImportIds() {}

  public static String next(Instant start) {
    return TIME.format(start) + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  public static boolean valid(String id) {
    return id != null && FORM.matcher(id).matches();
  }

  /**
   * Orders two import ids by the import's start (their first 19 characters, UTC to the millisecond): the
   * order the master imported them in, whatever order they reached another instance in.
   */
  public static int compareByStart(String a, String b) {
    int byStart = a.substring(0, Math.min(19, a.length())).compareTo(b.substring(0, Math.min(19, b.length())));
    return byStart != 0 ? byStart : a.compareTo(b);
  }
}
