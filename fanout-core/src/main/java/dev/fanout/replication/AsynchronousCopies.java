package dev.fanout.replication;

import dev.fanout.instance.RemoteInstance;
import dev.fanout.instance.RemoteInstanceRepository;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.UnitOfWork;
import dev.fanout.stage.StagingArea;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The asynchronous copy step of an import: one copy job per destination an asynchronous rule names,
 * recorded in the transaction that records the staged import. The jobs wait until the import is
 * loaded here, then the server runs them, in order per table and destination. A full import is not
 * held back by pending jobs (unlike an incremental one): its job queues behind them, and the remote
 * loads them all in order, ending with the newest full content.
 */
public final class AsynchronousCopies {
  private final CopyRuleRepository rules;
  private final RemoteInstanceRepository remotes;
  private final Configuration conf;

  public AsynchronousCopies(CopyRuleRepository rules, RemoteInstanceRepository remotes, Configuration conf) {
    this.rules = rules;
    this.remotes = remotes;
    this.conf = conf;
  }

  /** The destinations that get this table asynchronously, with their staging directory for an import. */
  public record Planned(String destination, String targetPath) {}

  public List<Planned> plan(ImportTable table, String importId) {
    Map<String, DataTransfer> destinations = CopyDestinations.of(table.target(), rules.list());
    List<Planned> out = new ArrayList<>();
    for (Map.Entry<String, DataTransfer> d : destinations.entrySet()) {
      if (d.getValue() == DataTransfer.ASYNCHRONOUS) {
        RemoteInstance remote = remotes.require(d.getKey());
        StagingArea remoteStaging = new StagingArea(remote.cluster(conf));
        out.add(new Planned(remote.name(), remoteStaging.directory(table.target(), importId).toString()));
      }
    }
    return out;
  }

  /** Records the jobs inside the caller's unit of work (the one that records the staged import). */
  public static void enqueue(UnitOfWork work, List<Planned> planned, ImportTable table, StagedImport staged) {
    CopyJobQueue jobs = new CopyJobQueue(work);
    for (Planned p : planned) {
      jobs.enqueue(table.id(), table.target(), p.destination(), staged.importId(), staged.stagingPath(),
          p.targetPath());
    }
  }
}
