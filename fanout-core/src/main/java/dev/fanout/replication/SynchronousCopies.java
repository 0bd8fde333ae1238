package dev.fanout.replication;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.events.Reported;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/**
 * The synchronous copy step of an import: for every destination a synchronous rule names, delivers the
 * staged directory before the import's own load. Any failure fails the import; a retry repeats only
 * what is missing.
 */
public final class SynchronousCopies {
  private final Instance instance;
  private final FanoutListener listener;
  private final RemoteDelivery delivery;

  public SynchronousCopies(Instance instance, FanoutListener listener) {
    this.instance = instance;
    this.listener = listener;
    this.delivery = new RemoteDelivery(instance);
  }

  public void deliver(ImportTable table, StagedImport staged) {
    Map<String, DataTransfer> destinations = CopyDestinations.of(table.target(), instance.copyRules().list());
    for (Map.Entry<String, DataTransfer> d : destinations.entrySet()) {
      if (d.getValue() == DataTransfer.SYNCHRONOUS) {
        deliverTo(instance.remoteInstances().require(d.getKey()), table, staged);
      }
    }
  }

  private void deliverTo(RemoteInstance remote, ImportTable table, StagedImport staged) {
    Event started = Event.of(Event.Kind.COPY, Event.Phase.STARTED).withTable(table.target())
        .withImportId(staged.importId()).withDestination(remote.name()).withRows(staged.stagedRows())
        .withMessage("Copying " + table.target() + " import " + staged.importId() + " to instance " + remote.name());
    Path dir = new Path(staged.stagingPath());
    try {
      // before the load here, so no lag: the data reaches the remote as it reaches this cluster
      Reported.run(listener, started, () -> delivery.deliver(remote, table, staged, f -> new Path(dir, f.name())),
          d -> started.withMessage(null).withBytes(d.bytesCopied()));
    } catch (FanoutException e) {
      throw new FanoutException("The synchronous copy of " + table.target() + " to instance " + remote.name()
          + " failed, so " + table.target() + " was not loaded here either; rerun the import when it is fixed. "
          + e.getMessage(), e);
    }
  }
}
