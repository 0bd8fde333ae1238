package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.copy.CopyEngine;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import dev.fanout.jdbc.JdbcUrls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "instance", description = "Manage remote Fanout instances (dbimport_instances).",
    subcommands = {InstanceCommand.Add.class, InstanceCommand.Encrypt.class, InstanceCommand.ListInstances.class,
        InstanceCommand.Remove.class})
final class InstanceCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Checks that the remote metadata database takes these credentials and has a current schema. */
  static void checkRemoteDatabase(Instance local, String name, String url, Credentials credentials) {
    RemoteInstance candidate = new RemoteInstance(name, url, credentials.seal(local.cipher()), "file:///", "/", false,
        null, null);
    try (Instance ignored = local.openRemote(candidate)) {
      // reachable, credentials accepted, schema current
    }
  }

  /**
   * The credentials given, or, when none are, those of the Fanout home whose embedded database the URL names
   * (another instance on this host, run by the same user): its password is private to that home.
   */
  static Credentials credentials(String url, String user, boolean passwordStdin) {
    if (passwordStdin || !user.isEmpty()) {
      return new Credentials(user, passwordStdin ? Stdin.readSecret() : "");
    }
    return FanoutHome.ofEmbeddedUrl(url).filter(FanoutHome::isInitialized)
        .map(FanoutHome::metadataCredentials)
        .orElseGet(() -> new Credentials("", ""));
  }

  @Command(name = "add", description = "Add a remote instance; its database and base directory are checked first.")
  static final class Add implements Callable<Integer> {
    @ParentCommand InstanceCommand parent;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", description = "Instance name.") String name;
    @Option(names = "--db-url", required = true, description = "JDBC URL of the remote's metadata database.") String dbUrl;
    @Option(names = "--user", description = "User of the remote's metadata database (default: for another home's"
        + " embedded database, the user and password kept in that home).") String user = "";
    @Option(names = "--password-stdin", description = "Read the password from standard input.") boolean passwordStdin;
    @Option(names = "--fs", required = true, description = "Hadoop FileSystem URI of the remote cluster.") String fs;
    @Option(names = "--basedir", required = true, description = "The remote instance's base directory on its cluster.") String basedir;
    @Option(names = "--sync-credentials", description = "Also hand source credentials to the remote.") boolean syncCredentials;
    @Option(names = "--remote-key-file", description = "The remote instance's fanout.key, needed with --sync-credentials"
        + " and to reach a REST catalog whose token or credential that instance keeps sealed.")
    Path remoteKeyFile;
    @Option(names = "--bandwidth", description = "Limit for all copies to this instance, e.g. 50M or 1G per second (default: none).")
    String bandwidth;
    @Option(names = "--copy-engine", description = "What copies to this instance: local (default; parallel streams in"
        + " this process), distcp (Hadoop DistCp, local job runner) or distcp-yarn (DistCp on the YARN cluster of"
        + " HADOOP_CONF_DIR).")
    String copyEngine = CopyEngine.LOCAL.code();

    /** An instance that copies to itself would overwrite the tables it imports with their own copies. */
    private void refuseSelf(Instance instance) {
      if (name.equalsIgnoreCase(instance.name())) {
        throw new FanoutException("Instance '" + name + "' is this instance itself; a remote instance needs another"
            + " name and its own metadata database.");
      }
      if (sameDatabase(dbUrl, instance.settings().metadataUrl())) {
        throw new FanoutException("--db-url " + JdbcUrls.redact(dbUrl) + " is this instance's own metadata database;"
            + " give the remote instance's database.");
      }
    }

    /** The same database whatever the URL's options; an embedded H2 by its file. */
    static boolean sameDatabase(String url, String own) {
      if (own == null) {
        return false;
      }
      return h2File(url).map(f -> f.equals(h2File(own).orElse(null))).orElse(url.trim().equals(own.trim()));
    }

    private static java.util.Optional<Path> h2File(String url) {
      String u = url.trim();
      String prefix = u.startsWith("jdbc:h2:file:") ? "jdbc:h2:file:" : "jdbc:h2:";
      if (!u.startsWith("jdbc:h2:") || u.startsWith("jdbc:h2:mem:") || u.startsWith("jdbc:h2:tcp:")) {
        return java.util.Optional.empty();
      }
      String file = u.substring(prefix.length()).split(";", 2)[0];
      return java.util.Optional.of(Path.of(file).toAbsolutePath().normalize());
    }

    @Override
    public Integer call() throws IOException {
      UrlOptions.withoutPassword(spec, dbUrl, "--db-url", "--password-stdin");
      InstanceSettings checked = InstanceSettings.builder().clusterName(name).metadataUrl(dbUrl).fileSystem(fs)
          .basedir(basedir).build();
      CopyEngine engine = CopyEngine.parse(copyEngine);
      if (syncCredentials && remoteKeyFile == null) {
        throw new FanoutException("--sync-credentials needs --remote-key-file: the remote's fanout.key, so that"
            + " credentials are encrypted for it.");
      }
      try (Instance instance = parent.root.open()) {
        if (instance.remoteInstances().find(name).isPresent()) {
          throw new FanoutException("Instance '" + name + "' already exists; remove it first to change it.");
        }
        refuseSelf(instance);
        Credentials credentials = credentials(dbUrl, user, passwordStdin);
        checkRemoteDatabase(instance, name, dbUrl, credentials);
        new Cluster(name, URI.create(checked.fileSystem().toString()), checked.basedir(), instance.cluster().conf())
            .checkWritable();
        engine.copier(instance.cluster().conf(), 0);  // distcp-yarn: refuses a missing cluster configuration now
        String sealedKey = null;
        if (remoteKeyFile != null) {
          String keyText = Files.readString(remoteKeyFile);
          CredentialCipher.fromKeyText(keyText, remoteKeyFile);
          sealedKey = instance.cipher().encrypt(keyText.trim());
        }
        instance.remoteInstances().add(new RemoteInstance(name, dbUrl, credentials.seal(instance.cipher()),
            checked.fileSystem().toString(), checked.basedir(), syncCredentials, sealedKey,
            bandwidth == null ? null : Sizes.parseBytes(bandwidth, "--bandwidth"), engine));
        System.out.println("Added instance " + name + " (" + JdbcUrls.redact(dbUrl) + ", " + fs + " " + checked.basedir() + ")");
        return 0;
      }
    }
  }

  @Command(name = "encrypt", description = "Store new credentials for a remote instance's metadata database.")
  static final class Encrypt implements Callable<Integer> {
    @ParentCommand InstanceCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The remote instance.") String name;
    @Option(names = "--user", description = "User of its metadata database (default: for another home's embedded"
        + " database, the user and password kept in that home).") String user = "";
    @Option(names = "--password-stdin", description = "Read the password from standard input.") boolean passwordStdin;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        RemoteInstance remote = instance.remoteInstances().require(name);
        Credentials credentials = credentials(remote.dbUrl(), user, passwordStdin);
        checkRemoteDatabase(instance, name, remote.dbUrl(), credentials);
        instance.remoteInstances().updateCredentials(name, credentials.seal(instance.cipher()));
        System.out.println("Stored new credentials for instance " + name);
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List remote instances (credentials are never shown).")
  static final class ListInstances implements Callable<Integer> {
    @ParentCommand InstanceCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        for (RemoteInstance r : instance.remoteInstances().list()) {
          System.out.printf("%-16s %-50s %s %s%s%s%n", r.name(), JdbcUrls.redact(r.dbUrl()), r.fileSystem(), r.basedir(),
              r.syncCredentials() ? " sync_credentials" : "",
              r.copyEngine() == CopyEngine.LOCAL ? "" : " copy_engine=" + r.copyEngine().code());
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove a remote instance that no copy rule, mirror rule or unfinished copy job names.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand InstanceCommand parent;
    @Parameters(index = "0", paramLabel = "NAME", description = "The remote instance to remove.") String name;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        instance.remoteInstances().remove(name);
        System.out.println("Removed instance " + name);
        return 0;
      }
    }
  }
}
