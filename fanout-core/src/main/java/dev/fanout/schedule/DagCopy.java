package dev.fanout.schedule;

import dev.fanout.replication.RemotePublisher.TableConfiguration;
import dev.fanout.replication.RemotePublisher;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.replication.RemoteDelivery;
import dev.fanout.instance.RemoteInstance;
import java.util.List;

/**
 * Copies a DAG to a remote instance: its definition and the configuration of each of its tables
 * (connection, table, columns), in one transaction on the remote's metadata database, so the remote can
 * generate the same DAG and run it. No data moves: the copy rules deliver that.
 */
public final class DagCopy {
  private final Instance instance;

  public DagCopy(Instance instance) {
    this.instance = instance;
  }

  /**
   * Publishes the DAG and returns the tables it covers here. With {@code copySlave} the remote's tables
   * load what is copied to them; without, they import from the source themselves (which needs source
   * credentials there: handed over only to an instance added with {@code --sync-credentials}).
   */
  public List<ImportTable> copy(Dag dag, RemoteInstance remote, boolean copySlave) {
    List<ImportTable> tables = dag.tables(instance.tables().list());
    RemoteDelivery delivery = new RemoteDelivery(instance);
    try (Instance there = instance.openRemote(remote)) {
      List<TableConfiguration> configurations = tables.stream()
          .map(t -> new TableConfiguration(delivery.connectionFor(remote, there, t), t, instance.tables().columns(t.id())))
          .toList();
      RemotePublisher.publishConfiguration(there, configurations, copySlave, work -> new DagRepository(work).upsert(dag));
    }
    return tables;
  }
}
