package dev.fanout.instance;

import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.ApiTokenRepository;
import dev.fanout.metadata.ConfigurationRepository;
import dev.fanout.metadata.ConnectionRepository;
import dev.fanout.metadata.ImportStatisticsRepository;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.metadata.Transactions;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.replication.RemoteInstanceRepository;
import dev.fanout.schedule.DagRepository;
import dev.fanout.security.ApiTokens;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import org.apache.hadoop.conf.Configuration;

/**
 * One open Fanout instance: its settings, metadata database, cluster and lake catalog. The composition
 * root of every command: the wiring is all here, in plain constructors.
 */
public final class Instance implements AutoCloseable {
  private final FanoutHome home;
  private final InstanceSettings settings;
  private final CredentialCipher cipher;
  private final MetadataDatabase metadata;
  private final Cluster cluster;
  private final Transactions tx;
  private LakeCatalog catalog;

  private Instance(FanoutHome home, InstanceSettings settings, CredentialCipher cipher, MetadataDatabase metadata,
      Cluster cluster) {
    this.home = home;
    this.settings = settings;
    this.cipher = cipher;
    this.metadata = metadata;
    this.cluster = cluster;
    this.tx = new Transactions(metadata);
  }

  public static Instance open(FanoutHome home) {
    return open(home, Cluster.defaultConfiguration());
  }

  public static Instance open(FanoutHome home, Configuration conf) {
    return open(home, conf, true);
  }

  /** With {@code migrate} false, refuses a metadata database at another schema version (see MetadataDatabase). */
  public static Instance open(FanoutHome home, Configuration conf, boolean migrate) {
    InstanceSettings settings = home.settings();
    CredentialCipher cipher = home.cipher();
    String password = settings.metadataPasswordSealed() == null ? "" : cipher.decrypt(settings.metadataPasswordSealed());
    MetadataDatabase metadata = MetadataDatabase.open(settings.metadataUrl(), settings.metadataUser(), password, migrate);
    try {
      return new Instance(home, settings, cipher, metadata, Cluster.of(settings, conf));
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
  }

  public FanoutHome home() {
    return home;
  }

  public InstanceSettings settings() {
    return settings;
  }

  public CredentialCipher cipher() {
    return cipher;
  }

  public MetadataDatabase metadata() {
    return metadata;
  }

  public Cluster cluster() {
    return cluster;
  }

  public Transactions transactions() {
    return tx;
  }

  public ConnectionRepository connections() {
    return new ConnectionRepository(tx);
  }

  public ImportTableRepository tables() {
    return new ImportTableRepository(tx);
  }

  public StagedImportRepository stagedImports() {
    return new StagedImportRepository(tx);
  }

  public ImportStatisticsRepository statistics() {
    return new ImportStatisticsRepository(tx);
  }

  public RemoteInstanceRepository remoteInstances() {
    return new RemoteInstanceRepository(tx);
  }

  public CopyRuleRepository copyRules() {
    return new CopyRuleRepository(tx);
  }

  /** The copy queue as imports fill it and servers drain it. */
  public CopyJobQueue copyJobQueue() {
    return new CopyJobQueue(tx, metadata.vendor());
  }

  /** The copy queue as people, monitors and checks read it. */
  public CopyJobReports copyJobReports() {
    return new CopyJobReports(tx);
  }

  public DagRepository dags() {
    return new DagRepository(tx);
  }

  public ApiTokens apiTokens() {
    return new ApiTokens(new ApiTokenRepository(tx));
  }

  public ConfigurationRepository configuration() {
    return new ConfigurationRepository(tx);
  }

  public Credentials credentials(String sealed) {
    return sealed == null ? new Credentials("", "") : Credentials.unseal(cipher, sealed);
  }

  /** The lake catalog, opened on first use: commands that only touch metadata do not pay for it. */
  public synchronized LakeCatalog catalog() {
    if (catalog == null) {
      catalog = new LakeCatalog(metadata, cluster);
    }
    return catalog;
  }

  @Override
  public synchronized void close() {
    if (catalog != null) {
      catalog.close();
    }
    metadata.close();
  }
}
