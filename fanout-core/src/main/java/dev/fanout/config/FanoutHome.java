package dev.fanout.config;

import dev.fanout.failure.FanoutException;
import dev.fanout.security.CredentialCipher;
import dev.fanout.stage.StageSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * An instance's local home directory: {@code fanout.properties} (the settings), {@code fanout.key} (the
 * credential key) and, by default, the embedded metadata database and the local cluster directory.
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

  public String defaultMetadataUrl() {
    // AUTO_SERVER lets the server and CLI commands of one instance share the embedded database.
    return "jdbc:h2:file:" + dir.resolve("metadata").resolve("fanout") + ";AUTO_SERVER=TRUE";
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
      Files.createDirectories(dir);
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
    try (Writer w = Files.newBufferedWriter(tmp)) {
      p.store(w, "Fanout instance settings");
    }
    Files.move(tmp, dir.resolve(SETTINGS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private void requireInitialized() {
    if (!isInitialized()) {
      throw new FanoutException(
          "Fanout home " + dir + " is not initialized; run 'fanout --home " + dir + " init' first.");
    }
  }
}
