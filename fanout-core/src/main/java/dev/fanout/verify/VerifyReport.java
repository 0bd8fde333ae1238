package dev.fanout.verify;

import dev.fanout.metadata.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What {@code fanout verify} found: the figures of each place it looked, and every difference between them. */
public record VerifyReport(TableName table, List<Place> places) {

  /**
   * One instance's cluster, or the source: checksums by partition ("" for the whole table), what it
   * covered, or why it could not be read.
   */
  public record Place(String name, Map<String, Checksum> checksums, String scope, String error) {
    Checksum total() {
      return checksums.values().stream().reduce(Checksum.EMPTY, Checksum::plus);
    }
  }

  /** The row count of the first place (the reference), 0 when it could not be read. */
  public long rows() {
    Place first = places.get(0);
    return first.error() == null ? first.total().rows() : 0;
  }

  /** The row count found on one place, empty when it was not compared or could not be read. */
  public java.util.Optional<Long> rowsOn(String place) {
    return places.stream().filter(p -> p.name().equals(place) && p.error() == null).findFirst()
        .map(p -> p.total().rows());
  }

  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Place p : places) {
      String scope = p.scope() == null ? "" : " (" + p.scope() + ")";
      if (p.error() != null) {
        out.add(table + " on " + p.name() + ": cannot be read: " + p.error());
        continue;
      }
      out.add(String.format("%s on %s: %d rows, checksum %s%s", table, p.name(), p.total().rows(), p.total().hex(), scope));
      if (p.checksums().size() > 1 || (p.checksums().size() == 1 && !p.checksums().containsKey(""))) {
        p.checksums().forEach((part, c) -> out.add(String.format("  %s[%s] on %s: %d rows, checksum %s", table, part,
            p.name(), c.rows(), c.hex())));
      }
    }
    return out;
  }

  /** Each place that disagrees with the first one, named with its figures; empty when all agree. */
  public List<String> differences() {
    List<String> out = new ArrayList<>();
    Place reference = places.get(0);
    for (Place p : places) {
      if (p.error() != null) {
        out.add(p.name() + " cannot be read");
        continue;
      }
      if (p == reference || reference.error() != null) {
        continue;
      }
      Checksum mine = p.total();
      Checksum theirs = reference.total();
      if (!mine.equals(theirs)) {
        out.add(p.name() + " has " + mine.rows() + " rows (checksum " + mine.hex() + ") where " + reference.name()
            + " has " + theirs.rows() + " (checksum " + theirs.hex() + ")" + partitions(p, reference));
      }
    }
    return out;
  }

  private static String partitions(Place p, Place reference) {
    if (p.checksums().keySet().equals(java.util.Set.of("")) || reference.checksums().keySet().equals(java.util.Set.of(""))) {
      return "";
    }
    TreeSet<String> differing = new TreeSet<>();
    TreeSet<String> all = new TreeSet<>(p.checksums().keySet());
    all.addAll(reference.checksums().keySet());
    for (String part : all) {
      if (!java.util.Objects.equals(p.checksums().get(part), reference.checksums().get(part))) {
        differing.add(part);
      }
    }
    return differing.isEmpty() ? "" : ", in partitions " + differing;
  }
}
