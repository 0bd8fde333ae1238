package dev.fanout.instance;

import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.jdbc.JdbcUrls;
import dev.fanout.jdbc.SqlErrors;
import dev.fanout.lease.LeaseStore;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.ApiTokenRepository;
import dev.fanout.metadata.ConfigurationRepository;
import dev.fanout.metadata.ConnectionRepository;
import dev.fanout.metadata.ImportStatisticsRepository;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.metadata.Transactions;
import dev.fanout.metadata.UnitOfWork;
import dev.fanout.security.ApiTokens;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import java.sql.SQLException;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * One Fanout instance — this one, or a remote one opened from here; both are opened by the same code and
 * used the same way: a name, its {@link Cluster}, its lake catalog, and its metadata database, whose
 * repositories work each in a transaction of their own or together in one {@link #inTransaction unit of
 * work}. It builds no services: each command and the server are their own composition roots.
 */
public final class Instance implements AutoCloseable {
  private final InstanceSettings settings;
  private final CredentialCipher cipher;
  private final MetadataDatabase metadata;
  private final Cluster cluster;
  private final Transactions tx;
  private LakeCatalog catalog;
  private java.nio.file.Path home;

  private Instance(InstanceSettings settings, CredentialCipher cipher, MetadataDatabase metadata, Cluster cluster) {
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
    Instance instance = connect(settings, home.cipher(), home.metadataCredentials(), conf,
        migrate ? MetadataDatabase.SchemaCheck.MIGRATE : MetadataDatabase.SchemaCheck.EXACT);
    instance.home = home.dir().toAbsolutePath().normalize();
    return instance;
  }

  /** This instance's home directory (key, settings, embedded database); empty for a remote instance. */
  public java.util.Optional<java.nio.file.Path> home() {
    return java.util.Optional.ofNullable(home);
  }

  /**
   * Opens a remote instance as this one knows it ({@code dbimport_instances}): its metadata database (at
   * this Fanout's schema; never migrated from here) and its cluster, with this instance's Hadoop
   * configuration. Its key is known only if it was registered with {@code --remote-key-file}.
   */
  public Instance openRemote(RemoteInstance remote) {
    Credentials credentials = credentials(remote.sealedDbCredentials());
    CredentialCipher remoteKey = remote.sealedRemoteKey() == null ? null
        : CredentialCipher.fromKeyText(cipher.decrypt(remote.sealedRemoteKey()),
            java.nio.file.Path.of("key of instance " + remote.name()));
    try {
      return connect(remote.settings(), remoteKey, credentials, cluster.conf(), MetadataDatabase.SchemaCheck.EXACT);
    } catch (FanoutException e) {
      if (e.getCause() instanceof SQLException sql) {
        String why = SqlErrors.isAuthenticationFailure(sql) ? "wrong user or password (store new ones with"
            + " 'fanout instance encrypt " + remote.name() + "')" : SqlErrors.describe(sql);
        throw new FanoutException("Cannot reach the metadata database of instance '" + remote.name() + "' at "
            + JdbcUrls.redact(remote.dbUrl()) + ": " + why + ".", e);
      }
      throw e;
    }
  }

  private static Instance connect(InstanceSettings settings, CredentialCipher cipher, Credentials credentials,
      Configuration conf, MetadataDatabase.SchemaCheck check) {
    MetadataDatabase metadata = MetadataDatabase.open(settings.metadataUrl(), credentials.user(),
        credentials.password(), check);
    try {
      return new Instance(settings, cipher, metadata, settings.cluster(conf));
    } catch (RuntimeException e) {
      metadata.close();
      throw e;
    }
  }

  /** The instance's name: its cluster's name, as other instances know it. */
  public String name() {
    return settings.clusterName();
  }

  public InstanceSettings settings() {
    return settings;
  }

  public Cluster cluster() {
    return cluster;
  }

  public MetadataDatabase metadata() {
    return metadata;
  }

  /** Each repository call in a transaction of its own; repositories of other packages are built on it. */
  public Transactions transactions() {
    return tx;
  }

  /** Runs {@code work} with repositories bound to one metadata transaction: all of it commits, or none. */
  public <T> T inTransaction(String what, Function<UnitOfWork, T> work) {
    return tx.inTransaction(what, work);
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

  public LeaseStore leases() {
    return new LeaseStore(tx);
  }

  public ApiTokens apiTokens() {
    return new ApiTokens(new ApiTokenRepository(tx));
  }

  public ConfigurationRepository configuration() {
    return new ConfigurationRepository(tx);
  }

  /** This instance's key, which seals the credentials in its rows. */
  public CredentialCipher cipher() {
    if (cipher == null) {
      throw new NeedsPersonException("This instance does not hold the key of instance '" + name() + "'; re-add it"
          + " with 'fanout instance add " + name() + " ... --remote-key-file <its fanout.key>'.");
    }
    return cipher;
  }

  /** Credentials stored in this instance's rows, unsealed with its key. */
  public Credentials credentials(String sealed) {
    return sealed == null ? new Credentials("", "") : Credentials.unseal(cipher(), sealed);
  }

  /** Seals credentials so that this instance (a remote one, usually) can read them from its own rows. */
  public String seal(Credentials credentials) {
    return credentials.seal(cipher());
  }

  /** The lake catalog, opened on first use: commands that only touch metadata do not pay for it. */
  public synchronized LakeCatalog catalog() {
    if (catalog == null) {
      catalog = new LakeCatalog(metadata, cluster,
          dev.fanout.load.CatalogChoice.read(new dev.fanout.metadata.ConfigurationRepository(tx)), cipher);
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
