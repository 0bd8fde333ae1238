package dev.fanout.cli;

import dev.fanout.replication.CopyRuleRepository;

import dev.fanout.schedule.DagRepository;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.replication.CopyRule;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.schedule.Dag;
import dev.fanout.schedule.DagCopy;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout copy dag}: hands a DAG and its tables' configuration to a remote instance. */
@Command(name = "copy", description = "Copy configuration to a remote instance.", subcommands = CopyDagCommand.CopyDag.class)
final class CopyDagCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "dag", description = "Copy a DAG and the configuration of its tables (connections, tables, columns)"
      + " to a remote instance, as copy_slave tables unless --no-slave.")
  static final class CopyDag implements Callable<Integer> {
    @ParentCommand CopyDagCommand parent;
    @Option(names = "--dag", required = true, description = "A DAG defined with 'fanout dag add'.") String dagName;
    @Option(names = "--destination", required = true, description = "A remote instance.") String destination;
    @Option(names = "--no-slave", description = "The remote imports from the source itself (copy_slave = 0).")
    boolean noSlave;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        Dag dag = new DagRepository(instance.transactions()).require(dagName);
        RemoteInstance remote = instance.remoteInstances().require(destination);
        List<ImportTable> tables = new DagCopy(instance).copy(dag, remote, !noSlave);
        System.out.println("Copied DAG " + dag.name() + " and " + tables.size() + " table(s) to instance " + destination
            + (noSlave ? " (copy_slave = 0: it imports from the source)" : " (copy_slave = 1)"));
        if (tables.isEmpty()) {
          System.err.println("fanout: warning: DAG '" + dag.name() + "' (filter '" + dag.filter()
              + "') matches no configured table; only the DAG definition was copied.");
        }
        if (noSlave && !remote.syncCredentials() && !tables.isEmpty()) {
          System.err.println("fanout: warning: instance '" + destination + "' was added without --sync-credentials;"
              + " give it the source credentials with 'fanout connection add' there before it imports.");
        }
        if (!noSlave) {
          warnAboutTablesNoRuleCopies(instance, tables);
        }
        return 0;
      }
    }

    /** A copy_slave table only ever loads what a copy rule brings it; say so while it can still be fixed. */
    private void warnAboutTablesNoRuleCopies(Instance instance, List<ImportTable> tables) {
      List<CopyRule> rules = new CopyRuleRepository(instance.transactions()).list().stream().filter(r -> r.destination().equals(destination)).toList();
      List<String> uncovered = tables.stream().map(ImportTable::target)
          .filter(t -> rules.stream().noneMatch(r -> r.filter().matches(t))).map(Object::toString).toList();
      if (!uncovered.isEmpty()) {
        System.err.println("fanout: warning: no copy rule sends " + String.join(", ", uncovered) + " to instance '"
            + destination + "'; add one with 'fanout copy-rule add', or the remote's imports will find nothing new.");
      }
    }
  }
}
