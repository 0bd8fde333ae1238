package dev.fanout.replication;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.copy.Copier;
import dev.fanout.copy.StagingCopy;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.security.CredentialCipher;
import dev.fanout.stage.StagedFile;
import java.time.Instant;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;

/**
 * Delivers one staged import to one remote instance, the same way for synchronous copies (inside the
 * import) and asynchronous ones (by the server): the data to the remote's cluster, then the table's
 * configuration, the staged import and {@code copy_finished} to its metadata database in one
 * transaction. Calling it again after a failure copies only what is missing.
 */
public final class RemoteDelivery {
  private final Instance instance;

  public RemoteDelivery(Instance instance) {
    this.instance = instance;
  }

  /** What a delivery did: bytes copied now, files already there, and the {@code copy_finished} it set. */
  public record Delivered(Path targetDir, long bytesCopied, int filesSkipped, Instant copyFinished) {}

  public Delivered deliver(RemoteInstance remote, ImportTable table, StagedImport staged,
      Function<StagedFile, Path> dataFile) {
    Cluster target = remoteCluster(remote);
    Copier copier = remote.copyEngine().copier(instance.cluster().conf(),
        remote.copyBandwidth() == null ? 0 : remote.copyBandwidth());
    StagingCopy.Copied copied = new StagingCopy(copier).copy(instance.cluster(), new Path(staged.stagingPath()),
        dataFile, target, table.target(), staged.importId());
    Instant finished = Instant.now();
    try (RemoteMetadata metadata = RemoteMetadata.open(remote.name(), remote.dbUrl(),
        instance.credentials(remote.sealedDbCredentials()))) {
      metadata.publish(connectionFor(remote, table), table, instance.tables().columns(table.id()),
          withPath(staged, copied.targetDir().toString()), finished);
    }
    return new Delivered(copied.targetDir(), copied.result().bytesCopied(), copied.result().filesSkipped(), finished);
  }

  /** The source connection as the remote stores it: credentials only when the remote is trusted with them. */
  public SourceConnection connectionFor(RemoteInstance remote, ImportTable table) {
    SourceConnection local = instance.connections().require(table.connection());
    String sealed = null;
    if (remote.syncCredentials()) {
      CredentialCipher remoteKey = CredentialCipher.fromKeyText(instance.cipher().decrypt(remote.sealedRemoteKey()),
          java.nio.file.Path.of("key of instance " + remote.name()));
      sealed = instance.credentials(local.sealedCredentials()).seal(remoteKey);
    }
    return new SourceConnection(local.alias(), local.jdbcUrl(), sealed, local.maxSessions());
  }

  public Cluster remoteCluster(RemoteInstance remote) {
    return remote.cluster(instance.cluster().conf());
  }

  private static StagedImport withPath(StagedImport s, String path) {
    return new StagedImport(s.importId(), s.tableId(), path, s.state(), s.importType(), s.incrMinValue(),
        s.incrMaxValue(), s.sourceRows(), s.stagedRows(), s.stagedBytes(), s.created());
  }
}
