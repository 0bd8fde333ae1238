package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.load.CatalogChoice;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.ApiTokenRepository;
import dev.fanout.metadata.ConfigurationRepository;
import dev.fanout.metadata.EmbeddedH2;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.Credentials;
import dev.fanout.metadata.Transactions;
import dev.fanout.security.ApiTokens;
import java.nio.file.Path;
import dev.fanout.security.CredentialCipher;
import dev.fanout.metadata.StageEngine;
import dev.fanout.stage.StageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create an instance: its key, settings, metadata schema and cluster directory.")
final class InitCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--metadata-url", description = "JDBC URL of the metadata database (default: embedded H2 in the home).")
  String metadataUrl;

  @Option(names = "--metadata-user", description = "User of the metadata database.")
  String metadataUser = "";

  @Option(names = "--metadata-password-stdin", description = "Read the metadata database password from stdin.")
  boolean metadataPasswordStdin;

  @Option(names = "--cluster-name", description = "Name of this instance's cluster (default: local).")
  String clusterName = "local";

  @Option(names = "--fs", description = "Hadoop FileSystem URI of the cluster (default: file:///).")
  String fs = "file:///";

  @Option(names = "--basedir", description = "Base directory on the cluster (default: <home>/cluster).")
  String basedir;

  @Option(names = "--engine", description = "Default stage engine of tables that name none: local (default) or spark.")
  String engine = "local";

  @Option(names = "--spark-master", description = "Where the Spark engine runs: local[N] (default local[*]), or a"
      + " cluster's master URL with --spark-submit.")
  String sparkMaster;

  @Option(names = "--spark-submit", description = "The spark-submit that starts the Spark engine's job (client mode);"
      + " without it the job runs as a local JVM.")
  String sparkSubmit;

  @Option(names = "--spark-jar", description = "The fanout-spark job jar (default: fanout-spark/target/fanout-spark.jar"
      + " beside this Fanout).")
  String sparkJar;

  @Option(names = "--spark-java-opts", description = "JVM options of a local Spark job (default -Xmx1g).")
  String sparkJavaOpts = StageSettings.DEFAULT.sparkJavaOpts();

  @Option(names = "--catalog", description = "Where the lake tables are registered: jdbc (Iceberg's JdbcCatalog in the"
      + " metadata database, the default), rest (an Iceberg REST catalog at --catalog-uri) or hive (Iceberg's"
      + " HiveCatalog on the Hive Metastore at --catalog-uri).")
  String catalog = "jdbc";

  @Option(names = "--catalog-uri", description = "The REST catalog's base URI, e.g. http://host:8181/api/catalog, or the"
      + " Hive Metastore's thrift://host:9083 (several separated by commas).")
  String catalogUri;

  @Option(names = "--catalog-property", description = "An Iceberg catalog property KEY=VALUE for the REST catalog"
      + " (warehouse, prefix, scope, oauth2-server-uri, header.*, ...) or the HiveCatalog (clients,"
      + " lock-heartbeat-interval-ms, ...); repeatable.")
  java.util.Map<String, String> catalogProperties = new java.util.LinkedHashMap<>();

  @Option(names = "--catalog-secret-stdin", paramLabel = "token|credential", description = "Read the REST catalog's"
      + " bearer token (token) or OAuth2 client credential CLIENT_ID:SECRET (credential) from stdin (the line after"
      + " the metadata password when --metadata-password-stdin is given too); kept sealed with this instance's key.")
  String catalogSecret;

  @Override
  public Integer call() throws IOException {
    if (metadataUrl != null) {
      UrlOptions.withoutPassword(spec, metadataUrl, "--metadata-url", "--metadata-password-stdin");
    }
    CatalogChoice lake = CatalogChoice.of(catalog, catalogUri, catalogProperties);
    CatalogChoice.Secret secret = catalogSecret == null ? null : CatalogChoice.Secret.of(catalogSecret, lake);
    FanoutHome home = root.home();
    if (home.isInitialized()) {
      throw new FanoutException("Fanout home " + home.dir() + " is already initialized.");
    }
    boolean newKey = !Files.exists(home.dir().resolve("fanout.key"));
    home.createPrivateDirectories();
    Path embeddedFile = home.dir().resolve(EmbeddedH2.DIRECTORY).resolve("fanout.mv.db");
    boolean newDatabase = metadataUrl == null && !Files.exists(embeddedFile);
    CredentialCipher cipher = newKey ? CredentialCipher.create(home.dir().resolve("fanout.key"))
        : CredentialCipher.load(home.dir().resolve("fanout.key"));
    try {
      Credentials credentials = metadataCredentials();
      String password = credentials.password();
      if (secret != null) {
        lake = lake.withSecret(secret, Stdin.readSecret("--catalog-secret-stdin", "catalog " + secret.property()), cipher);
      }
      InstanceSettings settings = InstanceSettings.builder()
          .clusterName(clusterName)
          .metadataUrl(metadataUrl == null ? home.defaultMetadataUrl() : metadataUrl)
          .metadataUser(credentials.user())
          .metadataPasswordSealed(password.isEmpty() ? null : cipher.encrypt(password))
          .fileSystem(fs)
          .basedir(basedir == null ? home.defaultBasedir() : basedir)
          .stage(new StageSettings(StageEngine.of(engine), sparkMaster, sparkSubmit, sparkJar, sparkJavaOpts))
          .build();
      Path tokenFile = home.dir().resolve(ApiTokens.FILE_NAME);
      try (MetadataDatabase db = MetadataDatabase.open(settings.metadataUrl(), credentials.user(), password)) {
        settings.cluster(Cluster.defaultConfiguration()).checkWritable();
        if (lake.kind() != CatalogChoice.Kind.JDBC) {
          // the catalog answers once (a REST catalog's config call, a metastore's namespace look-up), so a wrong URI
          // fails the init, not the first import
          try (LakeCatalog reached = new LakeCatalog(db, settings.cluster(Cluster.defaultConfiguration()), lake, cipher)) {
            reached.checkReachable();
          }
        }
        lake.write(new ConfigurationRepository(new Transactions(db)));
        new ApiTokens(new ApiTokenRepository(new Transactions(db))).issue(ApiTokens.DEFAULT_VALIDITY, tokenFile);
      }
      home.writeSettings(settings);
      System.out.println("Initialized Fanout home " + home.dir());
      System.out.println("  metadata: " + dev.fanout.jdbc.JdbcUrls.redact(settings.metadataUrl()));
      System.out.println("  cluster:  " + settings.clusterName() + " at " + settings.fileSystem() + " " + settings.basedir());
      System.out.println("  catalog:  " + lake.describe());
      System.out.println("  stage:    " + settings.stage().engine().code() + " engine by default (Spark: "
          + settings.stage().sparkMaster() + ")");
      System.out.println("  API token for 'fanout server': " + tokenFile);
      return 0;
    } catch (RuntimeException | IOException e) {
      if (newKey) {
        Files.deleteIfExists(home.dir().resolve("fanout.key"));
      }
      if (newDatabase) {
        // its random password dies with this run: a second init must be able to create it again
        Files.deleteIfExists(embeddedFile);
      }
      throw e;
    }
  }

  /**
   * What the metadata database is opened with: the given user and password; for the embedded database,
   * unless told otherwise, user {@code fanout} and a random password that only the home (sealed) knows.
   */
  private Credentials metadataCredentials() {
    String password = metadataPasswordStdin ? Stdin.readSecret() : "";
    if (metadataUrl != null) {
      return new Credentials(metadataUser, password);
    }
    return new Credentials(metadataUser.isEmpty() ? EmbeddedH2.USER : metadataUser,
        password.isEmpty() ? EmbeddedH2.newPassword() : password);
  }
}
