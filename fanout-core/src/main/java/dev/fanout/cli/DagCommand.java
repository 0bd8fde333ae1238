package dev.fanout.cli;

import dev.fanout.schedule.DagRepository;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.replication.TableFilter;
import dev.fanout.schedule.Dag;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fanout dag}: DAG definitions (airflow_dags), the groups of tables a scheduler imports together. */
@Command(name = "dag", description = "Manage DAG definitions (airflow_dags): tables imported together on a schedule.",
    subcommands = {DagCommand.Add.class, DagCommand.ListDags.class, DagCommand.Show.class, DagCommand.Remove.class})
final class DagCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", description = "Define a DAG: the tables matching a filter, a schedule, a pool and retries.")
  static final class Add implements Callable<Integer> {
    @ParentCommand DagCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The DAG's name.") String name;
    @Option(names = "--filter", required = true, description = "';'-separated db.table patterns with *.") String filter;
    @Option(names = "--schedule", description = "An Airflow preset, a cron expression or none (default ${DEFAULT-VALUE}).")
    String schedule = Dag.DEFAULT_SCHEDULE;
    @Option(names = "--pool", description = "An Airflow pool (default: Airflow's default pool).") String pool;
    @Option(names = "--retries", description = "Retries of each task (default ${DEFAULT-VALUE}).") int retries = 0;

    @Override
    public Integer call() {
      Dag dag = new Dag(name, TableFilter.parse(filter), schedule, pool, retries);
      try (Instance instance = parent.root.open()) {
        new DagRepository(instance.transactions()).add(dag);
        int matching = dag.tables(instance.tables().list()).size();
        System.out.println("Added DAG " + dag.name() + ": " + dag.filter() + ", schedule "
            + (dag.schedule() == null ? "none" : dag.schedule()) + ", matching " + matching + " table(s) now");
        if (matching == 0) {
          System.err.println("fanout: warning: filter '" + dag.filter() + "' matches no configured table yet.");
        }
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List DAGs.")
  static final class ListDags implements Callable<Integer> {
    @ParentCommand DagCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        List<ImportTable> tables = instance.tables().list();
        System.out.printf("%-24s %-16s %-12s %-7s %-6s %s%n", "DAG", "SCHEDULE", "POOL", "RETRIES", "TABLES", "FILTER");
        for (Dag d : new DagRepository(instance.transactions()).list()) {
          System.out.printf("%-24s %-16s %-12s %-7d %-6d %s%n", d.name(), d.schedule() == null ? "none" : d.schedule(),
              d.pool() == null ? "-" : d.pool(), d.retries(), d.tables(tables).size(), d.filter());
        }
        return 0;
      }
    }
  }

  @Command(name = "show", description = "Show a DAG and its tables.")
  static final class Show implements Callable<Integer> {
    @ParentCommand DagCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The DAG's name.") String name;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        Dag d = new DagRepository(instance.transactions()).require(name);
        List<ImportTable> tables = d.tables(instance.tables().list());
        System.out.println("dag:       " + d.name());
        System.out.println("filter:    " + d.filter());
        System.out.println("schedule:  " + (d.schedule() == null ? "none" : d.schedule()));
        System.out.println("pool:      " + (d.pool() == null ? "-" : d.pool()));
        System.out.println("retries:   " + d.retries());
        System.out.println("tables:    " + tables.size());
        for (ImportTable t : tables) {
          System.out.println("  " + t.target() + (t.copySlave() ? "  copy_slave (waits for copy_finished "
              + (t.copyFinished() == null ? "-" : t.copyFinished().toString()) + ")" : "  imports from " + t.connection()));
        }
        if (tables.isEmpty()) {
          System.err.println("fanout: warning: filter '" + d.filter() + "' matches no configured table.");
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove a DAG definition (its tables stay).")
  static final class Remove implements Callable<Integer> {
    @ParentCommand DagCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The DAG's name.") String name;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        new DagRepository(instance.transactions()).remove(name);
        System.out.println("Removed DAG " + name);
        return 0;
      }
    }
  }
}
