package dev.fanout.replication;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import dev.fanout.stage.StagingArea;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The asynchronous copy step of an import: one copy job per destination an asynchronous rule names,
 * recorded in the transaction that records the staged import. The jobs wait until the import is
 * loaded here, then the server runs them, in order per table and destination. A full import is not
 * held back by pending jobs (unlike an incremental one): its job queues behind them, and the remote
 * loads them all in order, ending with the newest full content.
 */
public final class AsynchronousCopies {
  private final Instance instance;

  public AsynchronousCopies(Instance instance) {
    this.instance = instance;
  }

  /** The destinations that get this table asynchronously, with their staging directory for an import. */
  public record Planned(String destination, String targetPath) {}

  public List<Planned> plan(ImportTable table, String importId) {
    Map<String, DataTransfer> destinations = CopyDestinations.of(table.target(), instance.copyRules().list());
    RemoteDelivery delivery = new RemoteDelivery(instance);
    List<Planned> out = new ArrayList<>();
    for (Map.Entry<String, DataTransfer> d : destinations.entrySet()) {
      if (d.getValue() == DataTransfer.ASYNCHRONOUS) {
        RemoteInstance remote = instance.remoteInstances().require(d.getKey());
        StagingArea remoteStaging = new StagingArea(delivery.remoteCluster(remote));
        out.add(new Planned(remote.name(), remoteStaging.directory(table.target(), importId).toString()));
      }
    }
    return out;
  }

  /** Records the jobs inside the caller's transaction. */
  public static void enqueue(Connection c, List<Planned> planned, ImportTable table, StagedImport staged)
      throws SQLException {
    for (Planned p : planned) {
      CopyJobQueue.enqueue(c, table.id(), table.target(), p.destination(), staged.importId(),
          staged.stagingPath(), p.targetPath());
    }
  }
}
