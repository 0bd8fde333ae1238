package dev.fanout.cli;

import dev.fanout.schedule.DagRepository;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.replication.TableFilter;
import picocli.CommandLine.Option;

/** {@code --dag NAME | --filter PATTERNS}: the group of tables a failover or failback works on. */
final class TableGroupOptions {
  @Option(names = "--dag", description = "The tables of an Airflow DAG defined with 'fanout dag add'.") String dag;
  @Option(names = "--filter", description = "';'-separated db.table patterns with *.") String filter;

  TableFilter resolve(Instance instance) {
    if ((dag == null) == (filter == null)) {
      throw new FanoutException("Give exactly one of --dag NAME and --filter PATTERNS.");
    }
    if (filter != null) {
      return TableFilter.parse(filter);
    }
    return new DagRepository(instance.transactions()).require(dag).filter();
  }
}
