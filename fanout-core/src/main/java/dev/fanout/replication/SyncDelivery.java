package dev.fanout.replication;

import dev.fanout.FanoutException;
import dev.fanout.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.copy.ParallelCopier;
import dev.fanout.copy.StagingCopy;
import dev.fanout.imports.ImportListener;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * The synchronous copy step of an import: for every destination a synchronous rule names, copies the
 * staged directory to the destination's cluster, then writes the table's configuration, the staged
 * import and {@code copy_finished} to the destination's metadata database. Any failure fails the import
 * before its own load; a retry repeats only what is missing.
 */
public final class SyncDelivery {
  private final Instance instance;
  private final ImportListener listener;

  public SyncDelivery(Instance instance, ImportListener listener) {
    this.instance = instance;
    this.listener = listener;
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
    Cluster target = remoteCluster(instance, remote);
    listener.message("Copying " + table.target() + " import " + staged.importId() + " to instance " + remote.name());
    ParallelCopier copier = ParallelCopier.builder()
        .bandwidth(remote.copyBandwidth() == null ? 0 : remote.copyBandwidth())
        .build();
    org.apache.hadoop.fs.Path targetDir;
    try {
      targetDir = new StagingCopy(copier).copy(instance.cluster(), new org.apache.hadoop.fs.Path(staged.stagingPath()),
          target, table.target(), staged.importId());
    } catch (FanoutException e) {
      throw new FanoutException("The synchronous copy of " + table.target() + " to instance " + remote.name()
          + " failed, so " + table.target() + " was not loaded here either; rerun the import when it is fixed. "
          + e.getMessage(), e);
    }
    try (RemoteMetadata metadata = RemoteMetadata.open(remote.name(), remote.dbUrl(),
        instance.credentials(remote.sealedDbCredentials()))) {
      metadata.publish(connectionFor(remote, table), table, instance.tables().columns(table.id()),
          withPath(staged, targetDir.toString()), Instant.now());
    }
  }

  /** The source connection as the remote stores it: credentials only when the remote is trusted with them. */
  private SourceConnection connectionFor(RemoteInstance remote, ImportTable table) {
    SourceConnection local = instance.connections().require(table.connection());
    String sealed = null;
    if (remote.syncCredentials()) {
      CredentialCipher remoteKey = CredentialCipher.fromKeyText(instance.cipher().decrypt(remote.sealedRemoteKey()),
          Path.of("key of instance " + remote.name()));
      sealed = instance.credentials(local.sealedCredentials()).seal(remoteKey);
    }
    return new SourceConnection(local.alias(), local.jdbcUrl(), sealed, local.maxSessions());
  }

  static Cluster remoteCluster(Instance instance, RemoteInstance remote) {
    return new Cluster(remote.name(), URI.create(remote.fileSystem()), remote.basedir(), instance.cluster().conf());
  }

  private static StagedImport withPath(StagedImport s, String path) {
    return new StagedImport(s.importId(), s.tableId(), path, s.state(), s.importType(), s.incrMinValue(),
        s.incrMaxValue(), s.sourceRows(), s.stagedRows(), s.stagedBytes(), s.created());
  }
}
