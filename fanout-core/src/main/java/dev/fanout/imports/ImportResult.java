package dev.fanout.imports;

import dev.fanout.metadata.ImportStatistics;
import java.util.List;

/**
 * The outcome of {@code fanout import}: one statistics row per load (a copy_slave may load several
 * copied imports, or none when nothing new arrived), and whether a crashed earlier run was resumed.
 */
public record ImportResult(List<ImportStatistics> loads, boolean resumed) {
  public ImportResult {
    loads = List.copyOf(loads);
  }

  /** The last load, for callers that import one increment. */
  public ImportStatistics statistics() {
    return loads.get(loads.size() - 1);
  }
}
