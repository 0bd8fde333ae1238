package dev.fanout.config;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.metadata.EmbeddedH2;
import dev.fanout.security.CredentialCipher;
import dev.fanout.security.Credentials;
import dev.fanout.stage.StageSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * An instance's local home directory: {@code fanout.properties} (the settings), {@code fanout.key} (the
 * credential key) and, by default, the embedded metadata database and the local cluster directory. The
 * home and its {@code metadata/} are private to their owner (0700), its settings and key files 0600.
 */
public final class FanoutHome {
  public static final String ENV = "FANOUT_HOME";
  private static final String SETTINGS = "fanout.properties";
  private static final String KEY = "fanout.key";

  private final Path dir;

  public FanoutHome(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /** {@code --home}, else {@code $FANOUT_HOME}, else {@code ./fanout-home}. */
  public static FanoutHome resolve(Path option) {
    if (option != null) {
      return new FanoutHome(option);
    }
    String env = System.getenv(ENV);
    return new FanoutHome(Path.of(env != null && !env.isBlank() ? env : "fanout-home"));
  }

  public Path dir() {
    return dir;
  }

  public boolean isInitialized() {
    return Files.isRegularFile(dir.resolve(SETTINGS));
  }

  /** The home whose embedded metadata database {@code url} names, if it is one. */
  public static Optional<FanoutHome> ofEmbeddedUrl(String url) {
    return EmbeddedH2.homeOf(url).map(FanoutHome::new);
  }

  public String defaultMetadataUrl() {
    return EmbeddedH2.url(dir);
  }

  /** Whether this home's metadata lives in its own embedded database (the default). */
  public boolean hasEmbeddedMetadata() {
    return EmbeddedH2.homeOf(settings().metadataUrl()).filter(dir::equals).isPresent();
  }

  /** Creates the home and its {@code metadata/} directory (or narrows existing ones) readable by their owner only. */
  public void createPrivateDirectories() throws IOException {
    for (Path d : new Path[] {dir, dir.resolve(EmbeddedH2.DIRECTORY)}) {
      Files.createDirectories(d);
      ownerOnly(d, "rwx------");
    }
  }

  /**
   * The user and password of this home's metadata database, the password unsealed with the home's key.
   * An embedded database made by an older Fanout without one is refused until {@code fanout upgrade}.
   */
  public Credentials metadataCredentials() {
    InstanceSettings settings = settings();
    if (settings.metadataPasswordSealed() == null) {
      if (hasEmbeddedMetadata()) {
        throw new NeedsPersonException("The embedded metadata database of " + dir + " has no password (an older"
            + " Fanout made it); stop its server and run 'fanout --home " + dir + " upgrade' once to give it one.");
      }
      return new Credentials(settings.metadataUser(), "");
    }
    return new Credentials(settings.metadataUser(), cipher().decrypt(settings.metadataPasswordSealed()));
  }

  /**
   * Gives the embedded database of a home made by an older Fanout a random password, sealed in the settings,
   * and narrows the home's permissions; returns false when there was nothing to do.
   */
  public boolean securePasswordlessEmbeddedDatabase() throws IOException {
    InstanceSettings settings = settings();
    if (settings.metadataPasswordSealed() != null || !hasEmbeddedMetadata()) {
      return false;
    }
    createPrivateDirectories();
    ownerOnly(dir.resolve(SETTINGS), "rw-------");
    String password = EmbeddedH2.newPassword();
    EmbeddedH2.setPassword(settings.metadataUrl(), settings.metadataUser(), password);
    // the database takes the new password first: a crash in between is the one moment the two disagree
    writeSettings(InstanceSettings.builder()
        .clusterName(settings.clusterName())
        .metadataUrl(settings.metadataUrl())
        .metadataUser(EmbeddedH2.USER)
        .metadataPasswordSealed(cipher().encrypt(password))
        .fileSystem(settings.fileSystem().toString())
        .basedir(settings.basedir())
        .stage(settings.stage())
        .build());
    return true;
  }

  public String defaultBasedir() {
    return dir.resolve("cluster").toString();
  }

  public CredentialCipher cipher() {
    requireInitialized();
    return CredentialCipher.load(dir.resolve(KEY));
  }

  public InstanceSettings settings() {
    requireInitialized();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve(SETTINGS))) {
      p.load(r);
    } catch (IOException e) {
      throw new FanoutException("Cannot read " + dir.resolve(SETTINGS) + ": " + e.getMessage(), e);
    }
    return InstanceSettings.builder()
        .clusterName(p.getProperty("cluster.name", "local"))
        .metadataUrl(p.getProperty("metadata.url"))
        .metadataUser(p.getProperty("metadata.user", ""))
        .metadataPasswordSealed(p.getProperty("metadata.password"))
        .fileSystem(p.getProperty("cluster.fs", "file:///"))
        .basedir(p.getProperty("cluster.basedir"))
        .stage(StageSettings.from(p))
        .build();
  }

  /** Creates the home: the key file first, then the settings, written whole or not at all. */
  public CredentialCipher initialize(InstanceSettings settings) {
    if (isInitialized()) {
      throw new FanoutException("Fanout home " + dir + " is already initialized.");
    }
    try {
      createPrivateDirectories();
      CredentialCipher cipher =
          Files.exists(dir.resolve(KEY)) ? CredentialCipher.load(dir.resolve(KEY)) : CredentialCipher.create(dir.resolve(KEY));
      writeSettings(settings);
      return cipher;
    } catch (IOException e) {
      throw new FanoutException("Cannot create the Fanout home " + dir + ": " + e.getMessage(), e);
    }
  }

  public void writeSettings(InstanceSettings s) throws IOException {
    Properties p = new Properties();
    p.setProperty("cluster.name", s.clusterName());
    p.setProperty("metadata.url", s.metadataUrl());
    p.setProperty("metadata.user", s.metadataUser());
    if (s.metadataPasswordSealed() != null) {
      p.setProperty("metadata.password", s.metadataPasswordSealed());
    }
    p.setProperty("cluster.fs", s.fileSystem().toString());
    p.setProperty("cluster.basedir", s.basedir());
    s.stage().store(p);
    Path tmp = dir.resolve(SETTINGS + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    ownerOnly(tmp, "rw-------");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "Fanout instance settings");
    }
    Files.move(tmp, dir.resolve(SETTINGS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void ownerOnly(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing more we can do here
    }
  }

  private void requireInitialized() {
    if (!isInitialized()) {
      throw new FanoutException(
          "Fanout home " + dir + " is not initialized; run 'fanout --home " + dir + " init' first.");
    }
  }
}
