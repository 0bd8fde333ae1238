package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.metadata.TableName;
import dev.fanout.verify.VerifyReport;
import dev.fanout.verify.Verifier;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout verify}: do the clusters (and the source) hold the same rows? Exits 1 naming what differs. */
@Command(name = "verify", description = "Compare a table's row count and content checksum across instances and its source.")
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @Option(names = "--table", required = true, description = "db.table") String table;
  @Option(names = "--instances", split = ",", description = "Instances to compare (default: this one and every copy destination).")
  List<String> instances = List.of();
  @Option(names = "--source", description = "Also read the source table over JDBC (imported tables).") boolean source;
  @Option(names = "--by-partition", description = "Also print and compare each partition.") boolean byPartition;
  @Option(names = "--threads", description = "Files and splits read at once (default ${DEFAULT-VALUE}).") int threads = 4;

  @Override
  public Integer call() {
    TableName name = TableName.parse(table);
    if (threads < 1 || threads > 64) {
      throw new FanoutException("--threads must be between 1 and 64.");
    }
    try (Instance instance = root.open(); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      VerifyReport report = new Verifier(instance, new CopyRuleRepository(instance.transactions()), remotes, threads,
          events.listener()).verify(name, instances, source, byPartition);
      report.lines().forEach(System.out::println);
      List<String> differences = report.differences();
      if (!differences.isEmpty()) {
        throw new FanoutException(name + " differs: " + String.join("; ", differences) + ".");
      }
      System.out.println("All " + report.places().size() + " agree.");
      return 0;
    }
  }
}
