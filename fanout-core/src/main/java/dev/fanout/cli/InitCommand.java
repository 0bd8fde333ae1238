package dev.fanout.cli;

import dev.fanout.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.CredentialCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create an instance: its key, settings, metadata schema and cluster directory.")
final class InitCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

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

  @Override
  public Integer call() throws IOException {
    FanoutHome home = root.home();
    if (home.isInitialized()) {
      throw new FanoutException("Fanout home " + home.dir() + " is already initialized.");
    }
    boolean newKey = !Files.exists(home.dir().resolve("fanout.key"));
    Files.createDirectories(home.dir());
    CredentialCipher cipher = newKey ? CredentialCipher.create(home.dir().resolve("fanout.key"))
        : CredentialCipher.load(home.dir().resolve("fanout.key"));
    try {
      String password = metadataPasswordStdin ? Stdin.readSecret() : "";
      InstanceSettings settings = InstanceSettings.builder()
          .clusterName(clusterName)
          .metadataUrl(metadataUrl == null ? home.defaultMetadataUrl() : metadataUrl)
          .metadataUser(metadataUser)
          .metadataPasswordSealed(password.isEmpty() ? null : cipher.encrypt(password))
          .fileSystem(fs)
          .basedir(basedir == null ? home.defaultBasedir() : basedir)
          .build();
      try (MetadataDatabase db = MetadataDatabase.open(settings.metadataUrl(), settings.metadataUser(), password)) {
        Cluster.of(settings, Cluster.defaultConfiguration()).checkWritable();
      }
      home.writeSettings(settings);
      System.out.println("Initialized Fanout home " + home.dir());
      System.out.println("  metadata: " + dev.fanout.source.JdbcUrls.redact(settings.metadataUrl()));
      System.out.println("  cluster:  " + settings.clusterName() + " at " + settings.fileSystem() + " " + settings.basedir());
      return 0;
    } catch (RuntimeException | IOException e) {
      if (newKey) {
        Files.deleteIfExists(home.dir().resolve("fanout.key"));
      }
      throw e;
    }
  }
}
