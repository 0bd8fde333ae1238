package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.instance.Remotes;
import dev.fanout.lease.Lease;
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
  private final CopyJobReports jobs;
  private final RemoteDelivery delivery;
  private final TableLoader loader;

  public CopyJobRunner(Instance instance, Remotes remotes, CopyJobReports jobs) {
    this.instance = instance;
    this.remotes = remotes;
    this.jobs = jobs;
    this.delivery = new RemoteDelivery(instance);
    this.loader = new IcebergTableLoader(instance.catalog(), instance.cluster());
  }

  public RemoteDelivery.Delivered run(CopyJob job, Lease lease) {
    // what a job needs but no longer exists here cannot come back by waiting: a person must decide
    ImportTable table = instance.tables().find(job.table()).orElseThrow(() -> new NeedsPersonException("Table "
        + job.table() + " is not configured here any more, so copy job " + job.id() + " has nothing to copy;"
        + " cancel it with 'fanout jobs cancel " + job.id() + "'."));
    StagedImport staged = instance.stagedImports().find(job.importId()).orElseThrow(() -> new NeedsPersonException(
        "Import " + job.importId() + " of " + job.table() + " is not recorded here any more, so copy job "
            + job.id() + " has nothing to copy."));
    RemoteInstance destination = destination(instance, job);
    Path stagingDir = new StagingArea(instance.cluster()).directoryOf(job.table(), job.importId(), staged.stagingPath());
    // the lease's epoch grows with every take-over: a holder that lost the job publishes nothing there
    String fence = "copy-job/" + instance.name() + "/" + job.id();
    try {
      return delivery.deliver(destination, remotes.open(job.destination()), table,
          instance.tables().columns(table.id()), staged, f -> {
            Path stagedFile = new Path(stagingDir, f.name());
            return exists(stagedFile) ? stagedFile : loader.loadedFile(job.table(), job.importId(), f.name());
          }, work -> work.run("checking the job's lease", c -> {
            LeaseStore.fence(c, fence, lease.epoch(), "Copy job " + job.id());
            return null;
          }));
    } catch (FanoutException e) {
      remotes.forget(job.destination()); // the next try reconnects, in case the remote restarted
      throw e;
    }
  }

  /** The registered destination of a job; gone means a person must re-add it or cancel the job. */
  public static RemoteInstance destination(Instance instance, CopyJob job) {
    return instance.remoteInstances().find(job.destination()).orElseThrow(() -> new NeedsPersonException(
        "Instance '" + job.destination() + "' is not registered here any more, so copy job " + job.id()
            + " cannot reach it; add it again with 'fanout instance add' and retry, or cancel the job."));
  }

  /** Removes the import's staging directory once no job of it is pending. */
  public void cleanUp(CopyJob job) {
    cleanUp(instance, job);
  }

  /** The same, for a job that ended without running (a person cancelled it). */
  public static void cleanUp(Instance instance, CopyJob job) {
    if (job.kind() != CopyJob.Kind.IMPORT) {
      return;
    }
    if (new CopyJobReports(instance.transactions()).pendingOfImport(job.importId()) == 0) {
      instance.stagedImports().find(job.importId())
          .filter(s -> s.state() == StagedImport.State.LOADED)
          .ifPresent(s -> {
            StagingArea staging = new StagingArea(instance.cluster());
            staging.remove(staging.directoryOf(job.table(), job.importId(), s.stagingPath()));
          });
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
