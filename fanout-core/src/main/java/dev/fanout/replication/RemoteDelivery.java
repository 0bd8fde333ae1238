package dev.fanout.replication;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.Copier;
import dev.fanout.copy.StagingCopy;
import dev.fanout.instance.Instance;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.UnitOfWork;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;

/**
 * Delivers one staged import to one remote instance, the same way for synchronous copies (inside the
 * import) and asynchronous ones (by the server): the data to the remote's cluster, then the table's
 * configuration, the staged import and {@code copy_finished} to its metadata database in one
 * transaction. Calling it again after a failure copies only what is missing.
 */
public final class RemoteDelivery {
  private final Instance local;

  public RemoteDelivery(Instance local) {
    this.local = local;
  }

  /** What a delivery did: bytes copied now, files already there, and the {@code copy_finished} it set. */
  public record Delivered(Path targetDir, long bytesCopied, int filesSkipped, Instant copyFinished) {}

  /**
   * @param fence runs first in the remote's transaction: the holder's lease check there
   */
  public Delivered deliver(RemoteInstance how, Instance remote, ImportTable table, List<ImportColumn> columns,
      StagedImport staged, Function<StagedFile, Path> dataFile, Consumer<UnitOfWork> fence) {
    Cluster here = local.cluster();
    Copier copier = how.copyEngine().copier(here.conf(), how.dbUrl(),
        how.copyBandwidth() == null ? 0 : how.copyBandwidth());
    StagingCopy.Copied copied = new StagingCopy(copier).copy(here,
        new StagingArea(here).directoryOf(table.target(), staged.importId(), staged.stagingPath()), dataFile,
        remote.cluster(), table.target(), staged.importId());
    Instant finished = Instant.now();
    RemotePublisher.publish(remote, new RemotePublisher.TableConfiguration(connectionFor(how, remote, table), table,
        columns), withPath(staged, copied.targetDir().toString()), finished, fence);
    return new Delivered(copied.targetDir(), copied.result().bytesCopied(), copied.result().filesSkipped(), finished);
  }

  /** The source connection as the remote stores it: credentials only when the remote is trusted with them. */
  public SourceConnection connectionFor(RemoteInstance how, Instance remote, ImportTable table) {
    SourceConnection here = local.connections().require(table.connection());
    String sealed = how.syncCredentials() ? remote.seal(local.credentials(here.sealedCredentials())) : null;
    return new SourceConnection(here.alias(), here.jdbcUrl(), sealed, here.maxSessions());
  }

  private static StagedImport withPath(StagedImport s, String path) {
    return new StagedImport(s.importId(), s.tableId(), path, s.state(), s.importType(), s.incrMinValue(),
        s.incrMaxValue(), s.sourceRows(), s.stagedRows(), s.stagedBytes(), s.created());
  }
}
