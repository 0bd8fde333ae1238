package dev.fanout.replication;

import dev.fanout.metadata.TableName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one table goes: each destination once, with its transfer. Where a table matches a synchronous
 * and an asynchronous rule for the same destination, synchronous wins.
 */
public final class CopyDestinations {
  private CopyDestinations() {}

  public static Map<String, DataTransfer> of(TableName table, List<CopyRule> rules) {
    Map<String, DataTransfer> out = new TreeMap<>();
    for (CopyRule rule : rules) {
      if (rule.filter().matches(table)) {
        out.merge(rule.destination(), rule.transfer(),
            (a, b) -> a == DataTransfer.SYNCHRONOUS || b == DataTransfer.SYNCHRONOUS ? DataTransfer.SYNCHRONOUS : a);
      }
    }
    return out;
  }
}
