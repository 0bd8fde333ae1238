package dev.fanout.imports;

import dev.fanout.metadata.ImportIds;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.StagedImport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which of the imports copied to a {@code copy_slave} it loads now, and in which order: the master's
 * import order, whatever order they arrived in (a late retry, a switch between synchronous and
 * asynchronous rules, a failover backlog). A full import older than one already loaded, or followed by a
 * newer full import, is superseded: loading it would put older data over newer. An increment is loaded
 * only right after the one it follows (it starts at the watermark this instance has loaded up to), so a
 * gap holds it and everything after it until the missing increment arrives. A table that keeps history
 * loads every full import that arrived, in order, since each is a version of every row that changed.
 */
final class ArrivalOrder {
  enum Verdict { LOAD, SUPERSEDED, HOLD }

  /** What to do with one arrived import, and why in a sentence's words when it is not loaded. */
  record Decision(StagedImport staged, Verdict verdict, String reason) {}

  private ArrivalOrder() {}

  /**
   * @param lastLoaded the import this instance loaded last for the table, null if none
   * @param watermark the table's watermark here (what the last increment loaded reaches), null if none
   */
  static List<Decision> decide(String lastLoaded, String watermark, List<StagedImport> arrived) {
    return decide(lastLoaded, watermark, arrived, false);
  }

  /** @param everyVersion the table keeps history: a newer full import that arrived too does not replace one */
  static List<Decision> decide(String lastLoaded, String watermark, List<StagedImport> arrived, boolean everyVersion) {
    List<StagedImport> inOrder = arrived.stream()
        .sorted(Comparator.comparing(StagedImport::importId, ImportIds::compareByStart)).toList();
    List<Decision> out = new ArrayList<>();
    String reached = watermark;
    String held = null;
    for (int i = 0; i < inOrder.size(); i++) {
      StagedImport s = inOrder.get(i);
      if (held != null) {
        out.add(new Decision(s, Verdict.HOLD, "it comes after the held import " + held));
      } else if (s.importType() == ImportType.FULL) {
        String newer = lastLoaded != null && ImportIds.compareByStart(s.importId(), lastLoaded) < 0 ? lastLoaded
            : everyVersion ? null : newerFull(inOrder, i);
        if (newer != null) {
          out.add(new Decision(s, Verdict.SUPERSEDED, "the newer full import " + newer + " replaces it"));
        } else {
          out.add(new Decision(s, Verdict.LOAD, null));
          lastLoaded = s.importId();
          reached = s.incrMaxValue();
        }
      } else if (lastLoaded == null || Objects.equals(s.incrMinValue(), reached)) {
        out.add(new Decision(s, Verdict.LOAD, null));
        lastLoaded = s.importId();
        reached = s.incrMaxValue();
      } else {
        held = s.importId();
        out.add(new Decision(s, Verdict.HOLD, "it starts at watermark " + s.incrMinValue()
            + " but this instance has loaded up to " + (reached == null ? "none" : reached)
            + ", so it waits for the increment before it"));
      }
    }
    return out;
  }

  private static String newerFull(List<StagedImport> inOrder, int i) {
    for (int j = inOrder.size() - 1; j > i; j--) {
      if (inOrder.get(j).importType() == ImportType.FULL) {
        return inOrder.get(j).importId();
      }
    }
    return null;
  }
}
