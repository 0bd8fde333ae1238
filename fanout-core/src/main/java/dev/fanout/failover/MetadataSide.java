package dev.fanout.failover;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.ConnectionRepository;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.metadata.Transactions;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.replication.RemoteInstance;
import dev.fanout.replication.RemoteInstanceRepository;
import dev.fanout.security.Credentials;

/**
 * One side of a role switch: an instance's metadata database, whether it is this instance's own or a
 * remote one's opened from here. Both sides are read and written through the same repositories.
 */
final class MetadataSide implements AutoCloseable {
  private final String name;
  private final Transactions tx;
  private final MetadataDatabase.Vendor vendor;
  private final MetadataDatabase owned;

  private MetadataSide(String name, Transactions tx, MetadataDatabase.Vendor vendor, MetadataDatabase owned) {
    this.name = name;
    this.tx = tx;
    this.vendor = vendor;
    this.owned = owned;
  }

  static MetadataSide local(Instance instance) {
    return new MetadataSide(instance.settings().clusterName(), instance.transactions(), instance.metadata().vendor(),
        null);
  }

  /** Opens a remote instance's metadata database; it must be at this Fanout's schema version. */
  static MetadataSide remote(Instance instance, RemoteInstance remote) {
    Credentials credentials = instance.credentials(remote.sealedDbCredentials());
    MetadataDatabase db = MetadataDatabase.open(remote.dbUrl(), credentials.user(), credentials.password(), false);
    return new MetadataSide(remote.name(), new Transactions(db), db.vendor(), db);
  }

  String name() {
    return name;
  }

  Transactions tx() {
    return tx;
  }

  ImportTableRepository tables() {
    return new ImportTableRepository(tx);
  }

  StagedImportRepository stagedImports() {
    return new StagedImportRepository(tx);
  }

  CopyJobReports copyJobReports() {
    return new CopyJobReports(tx);
  }

  ConnectionRepository connections() {
    return new ConnectionRepository(tx);
  }

  RemoteInstanceRepository remoteInstances() {
    return new RemoteInstanceRepository(tx);
  }

  CopyRuleRepository copyRules() {
    return new CopyRuleRepository(tx);
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.close();
    }
  }
}
