package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.lease.LeaseStore;
import dev.fanout.load.IcebergTableLoader;
import dev.fanout.load.TableLoader;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import org.apache.hadoop.fs.Path;

/**
 * Runs one asynchronous copy job of an import: the same delivery as a synchronous copy, reading each data
 * file from the staging directory or, once the local load has moved it, from the table. When the last
 * job of an import is done, the import's staging directory (by then only its manifest) is removed.
 */
public final class CopyJobRunner {
  private final Instance instance;
  private final Remotes remotes;
  private final CopyJobRepository jobs;
  private final RemoteDelivery delivery;
  private final TableLoader loader;

  public CopyJobRunner(Instance instance, Remotes remotes, CopyJobRepository jobs) {
    this.instance = instance;
    this.remotes = remotes;
    this.jobs = jobs;
    this.delivery = new RemoteDelivery(instance);
    this.loader = new IcebergTableLoader(instance.catalog(), instance.cluster());
  }

  public RemoteDelivery.Delivered run(CopyJob job) {
    ImportTable table = instance.tables().require(job.table());
    StagedImport staged = instance.stagedImports().find(job.importId()).orElseThrow(() -> new NeedsPersonException(
        "Import " + job.importId() + " of " + job.table() + " is not recorded here any more, so copy job "
            + job.id() + " has nothing to copy."));
    Path stagingDir = new Path(staged.stagingPath());
    // the job's attempt number grows with every claim: a holder that lost the job publishes nothing there
    String fence = "copy-job/" + instance.name() + "/" + job.id();
    try {
      return delivery.deliver(instance.remoteInstances().require(job.destination()), remotes.open(job.destination()),
          table, instance.tables().columns(table.id()), staged, f -> {
            Path stagedFile = new Path(stagingDir, f.name());
            return exists(stagedFile) ? stagedFile : loader.loadedFile(job.table(), job.importId(), f.name());
          }, work -> work.run("checking the job's lease", c -> {
            LeaseStore.fence(c, fence, job.attempts(), "Copy job " + job.id());
            return null;
          }));
    } catch (FanoutException e) {
      remotes.forget(job.destination()); // the next try reconnects, in case the remote restarted
      throw e;
    }
  }

  /** Removes the import's staging directory once no job of it is pending. */
  public void cleanUp(CopyJob job) {
    if (jobs.pendingOfImport(job.importId()) == 0) {
      instance.stagedImports().find(job.importId())
          .filter(s -> s.state() == StagedImport.State.LOADED)
          .ifPresent(s -> new StagingArea(instance.cluster()).remove(new Path(s.stagingPath())));
    }
  }

  private boolean exists(Path p) {
    try {
      return instance.cluster().fs().exists(p);
    } catch (IOException e) {
      throw new FanoutException("Cannot look at " + p + " on cluster " + instance.cluster().name() + ": "
          + e.getMessage(), e);
    }
  }
}
