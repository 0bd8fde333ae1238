package dev.fanout.verify;

import dev.fanout.metadata.TableName;
import java.time.Instant;
import java.util.List;

/**
 * A {@code verify_results} row: one {@code fanout verify} of a table, when it ran (UTC), the instances it
 * compared, whether the source was among them, whether all agreed, and each place's row count.
 *
 * @param rowCounts "place=rows" per place, "place=unreadable (why)" where it could not be read
 */
public record VerifyResult(TableName table, List<String> instances, boolean withSource, boolean agree,
    String rowCounts, String differences, Instant verified) {

  /** What a report says, as it is stored. */
  static VerifyResult of(VerifyReport report, Instant when) {
    List<String> instances = report.places().stream().map(VerifyReport.Place::name)
        .filter(n -> !n.equals("source")).toList();
    boolean withSource = report.places().stream().anyMatch(p -> p.name().equals("source"));
    String counts = String.join(", ", report.places().stream()
        .map(p -> p.name() + "=" + (p.error() == null ? String.valueOf(p.total().rows()) : "unreadable (" + p.error() + ")"))
        .toList());
    List<String> differences = report.differences();
    return new VerifyResult(report.table(), instances, withSource, differences.isEmpty(), counts,
        differences.isEmpty() ? null : String.join("; ", differences), when);
  }
}
