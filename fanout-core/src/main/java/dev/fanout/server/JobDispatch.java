package dev.fanout.server;

import dev.fanout.mirror.MirrorRequest;
import dev.fanout.mirror.MirrorResult;
import dev.fanout.mirror.TableMirror;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobRunner;
import dev.fanout.replication.RemoteDelivery;
import java.time.Instant;

/** Runs a queued job by its kind: the copy of an import, or the mirror of a lake table. */
final class JobDispatch {
  private final CopyJobRunner copies;
  private final TableMirror mirror;

  JobDispatch(CopyJobRunner copies, TableMirror mirror) {
    this.copies = copies;
    this.mirror = mirror;
  }

  RemoteDelivery.Delivered run(CopyJob job) {
    if (job.sync()) {
      MirrorResult result = mirror.sync(MirrorRequest.of(job.table(), job.destination()));
      return new RemoteDelivery.Delivered(null, result.bytesCopied(), result.filesAlreadyThere(), Instant.now());
    }
    return copies.run(job);
  }

  void cleanUp(CopyJob job) {
    if (!job.sync()) {
      copies.cleanUp(job);
    }
  }
}
