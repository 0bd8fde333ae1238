package dev.fanout.replication;

import dev.fanout.FanoutException;
import dev.fanout.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.imports.ImportListener;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.fs.FileUtil;

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

  public void deliver(ImportTable table, StagedImport staged, StageManifest manifest) {
    Map<String, DataTransfer> destinations = CopyDestinations.of(table.target(), instance.copyRules().list());
    for (Map.Entry<String, DataTransfer> d : destinations.entrySet()) {
      if (d.getValue() == DataTransfer.SYNCHRONOUS) {
        deliverTo(instance.remoteInstances().require(d.getKey()), table, staged, manifest);
      }
    }
  }

  private void deliverTo(RemoteInstance remote, ImportTable table, StagedImport staged, StageManifest manifest) {
    Cluster target = remoteCluster(instance, remote);
    org.apache.hadoop.fs.Path targetDir = new StagingArea(target).directory(table.target(), staged.importId());
    listener.message("Copying " + table.target() + " import " + staged.importId() + " to instance " + remote.name());
    copyDirectory(new org.apache.hadoop.fs.Path(staged.stagingPath()), manifest, target, targetDir);
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

  private void copyDirectory(org.apache.hadoop.fs.Path from, StageManifest manifest, Cluster to,
      org.apache.hadoop.fs.Path targetDir) {
    try {
      for (StagedFile f : manifest.files()) {
        FileUtil.copy(instance.cluster().fs(), new org.apache.hadoop.fs.Path(from, f.name()), to.fs(),
            new org.apache.hadoop.fs.Path(targetDir, f.name()), false, true, to.conf());
      }
      FileUtil.copy(instance.cluster().fs(), new org.apache.hadoop.fs.Path(from, StageManifest.FILE_NAME), to.fs(),
          new org.apache.hadoop.fs.Path(targetDir, StageManifest.FILE_NAME), false, true, to.conf());
    } catch (IOException e) {
      throw new FanoutException("Copying " + from + " to " + to.name() + " failed: " + e.getMessage(), e);
    }
  }
}
