package dev.fanout.replication;

import dev.fanout.events.FanoutListener;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.load.IcebergTableLoader;
import dev.fanout.load.TableLoader;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.StagedImport;
import dev.fanout.stage.StagingArea;
import dev.fanout.mirror.MirrorRequest;
import dev.fanout.mirror.MirrorResult;
import dev.fanout.mirror.TableMirror;
import java.io.IOException;
import java.time.Instant;
import org.apache.hadoop.fs.Path;

/**
 * Runs one asynchronous copy job: the same delivery as a synchronous copy, reading each data file from
 * the staging directory or, once the local load has moved it, from the table. When the last job of an
 * import is done, the import's staging directory (by then only its manifest) is removed.
 */
public final class CopyJobRunner implements AutoCloseable {
  private final Instance instance;
  private final RemoteDelivery delivery;
  private final TableLoader loader;
  private final EmbeddedRemotes embedded;

  public CopyJobRunner(Instance instance) {
    this.instance = instance;
    this.delivery = new RemoteDelivery(instance);
    this.loader = new IcebergTableLoader(instance.catalog(), instance.cluster());
    this.embedded = new EmbeddedRemotes(instance);
  }

  public RemoteDelivery.Delivered run(CopyJob job) {
    if (job.sync()) {
      return sync(job);
    }
    ImportTable table = instance.tables().require(job.table());
    StagedImport staged = instance.stagedImports().find(job.importId()).orElseThrow(() -> new FanoutException(
        "Import " + job.importId() + " of " + job.table() + " is not recorded here any more, so copy job "
            + job.id() + " has nothing to copy."));
    RemoteInstance remote = instance.remoteInstances().require(job.destination());
    embedded.keepOpen(remote);
    Path stagingDir = new Path(staged.stagingPath());
    return delivery.deliver(remote, table, staged, f -> {
      Path stagedFile = new Path(stagingDir, f.name());
      return exists(stagedFile) ? stagedFile : loader.loadedFile(job.table(), job.importId(), f.name());
    });
  }

  /** The server's workers report the job themselves (as a MIRROR event), so the mirror reports nothing. */
  private RemoteDelivery.Delivered sync(CopyJob job) {
    embedded.keepOpen(instance.remoteInstances().require(job.destination()));
    MirrorResult result = new TableMirror(instance, FanoutListener.NONE).sync(MirrorRequest.of(job.table(), job.destination()));
    return new RemoteDelivery.Delivered(null, result.bytesCopied(), result.filesAlreadyThere(), Instant.now());
  }

  /** Removes the import's staging directory once no job of it is pending. */
  public void cleanUp(CopyJob job) {
    if (job.sync()) {
      return;
    }
    if (instance.copyJobs().pendingOfImport(job.importId()) == 0) {
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

  @Override
  public void close() {
    embedded.close();
  }
}
