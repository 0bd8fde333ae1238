package dev.fanout.replication;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.events.Reported;
import dev.fanout.failure.FanoutException;
import dev.fanout.stage.StagingArea;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.LeaseStore;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.StagedImport;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The synchronous copy step of an import: for every destination a synchronous rule names, delivers the
 * staged directory before the import's own load. Any failure fails the import; a retry repeats only
 * what is missing. The remote refuses the publish of an import whose lease was taken over meanwhile.
 */
public final class SynchronousCopies {
  private final Instance local;
  private final CopyRuleRepository rules;
  private final Remotes remotes;
  private final FanoutListener listener;
  private final RemoteDelivery delivery;

  public SynchronousCopies(Instance local, CopyRuleRepository rules, Remotes remotes, FanoutListener listener) {
    this.local = local;
    this.rules = rules;
    this.remotes = remotes;
    this.listener = listener;
    this.delivery = new RemoteDelivery(local);
  }

  public void deliver(ImportTable table, StagedImport staged, HeldLease lease) {
    Map<String, DataTransfer> destinations = CopyDestinations.of(table.target(), rules.list());
    for (Map.Entry<String, DataTransfer> d : destinations.entrySet()) {
      if (d.getValue() == DataTransfer.SYNCHRONOUS) {
        deliverTo(d.getKey(), table, staged, lease);
      }
    }
  }

  private void deliverTo(String destination, ImportTable table, StagedImport staged, HeldLease lease) {
    Event started = Event.of(Event.Kind.COPY, Event.Phase.STARTED).withTable(table.target())
        .withImportId(staged.importId()).withDestination(destination).withRows(staged.stagedRows())
        .withMessage("Copying " + table.target() + " import " + staged.importId() + " to instance " + destination);
    Path dir = new StagingArea(local.cluster()).directoryOf(table.target(), staged.importId(), staged.stagingPath());
    String fence = "import/" + local.name() + "/" + table.target();
    try {
      // before the load here, so no lag: the data reaches the remote as it reaches this cluster
      Reported.run(listener, started, () -> delivery.deliver(local.remoteInstances().require(destination),
          remotes.open(destination), table, local.tables().columns(table.id()), staged, f -> new Path(dir, f.name()),
          work -> work.run("checking the import's lease", c -> {
            LeaseStore.fence(c, fence, lease.lease().epoch(), "The import of " + table.target());
            return null;
          })), d -> started.withMessage(null).withBytes(d.bytesCopied()));
      if (staged.importType() == ImportType.FULL) {
        new CopyJobQueue(local.transactions()).mendGaps(table.target(), destination);
      }
    } catch (FanoutException e) {
      throw new FanoutException("The synchronous copy of " + table.target() + " to instance " + destination
          + " failed, so " + table.target() + " was not loaded here either; rerun the import when it is fixed. "
          + e.getMessage(), e);
    }
  }
}
