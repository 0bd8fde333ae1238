package dev.fanout.server;

import dev.fanout.instance.Instance;
import dev.fanout.lease.Lease;
import dev.fanout.mirror.MirrorRequest;
import dev.fanout.mirror.MirrorResult;
import dev.fanout.mirror.TableMirror;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobRunner;
import dev.fanout.replication.RemoteDelivery;
import java.time.Instant;

/** Runs a queued job by its kind: the copy of an import, or the mirror of a lake table. */
final class JobDispatch {
  private final Instance instance;
  private final CopyJobRunner copies;
  private final TableMirror mirror;

  JobDispatch(Instance instance, CopyJobRunner copies, TableMirror mirror) {
    this.instance = instance;
    this.copies = copies;
    this.mirror = mirror;
  }

  RemoteDelivery.Delivered run(CopyJob job, Lease lease) {
    if (job.kind() == CopyJob.Kind.MIRROR) {
      CopyJobRunner.destination(instance, job);
      MirrorResult result = mirror.sync(MirrorRequest.of(job.table(), job.destination()));
      return new RemoteDelivery.Delivered(null, result.bytesCopied(), result.filesAlreadyThere(), Instant.now());
    }
    return copies.run(job, lease);
  }

  void cleanUp(CopyJob job) {
    copies.cleanUp(job);
  }
}
