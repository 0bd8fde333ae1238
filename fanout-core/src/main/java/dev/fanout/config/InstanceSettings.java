package dev.fanout.config;

import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.stage.StageSettings;
import org.apache.hadoop.conf.Configuration;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one Fanout instance is: its name, its metadata database and its cluster (a Hadoop FileSystem URI
 * and a base directory). Immutable; built with {@link #builder()}.
 */
public final class InstanceSettings {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

  private final String clusterName;
  private final String metadataUrl;
  private final String metadataUser;
  private final String metadataPasswordSealed;
  private final URI fileSystem;
  private final String basedir;
  private final StageSettings stage;

  private InstanceSettings(Builder b) {
    this.clusterName = b.clusterName;
    this.metadataUrl = b.metadataUrl;
    this.metadataUser = b.metadataUser;
    this.metadataPasswordSealed = b.metadataPasswordSealed;
    this.fileSystem = b.fileSystem;
    this.basedir = b.basedir;
    this.stage = b.stage;
  }

  public String clusterName() {
    return clusterName;
  }

  public String metadataUrl() {
    return metadataUrl;
  }

  public String metadataUser() {
    return metadataUser;
  }

  /** The metadata database password, encrypted with the home's key; null when there is none. */
  public String metadataPasswordSealed() {
    return metadataPasswordSealed;
  }

  public URI fileSystem() {
    return fileSystem;
  }

  /** The instance's home directory on its cluster, an absolute path. */
  public String basedir() {
    return basedir;
  }

  /** This instance's cluster: its file system and base directory. */
  public Cluster cluster(Configuration conf) {
    return new Cluster(clusterName, fileSystem, basedir, conf);
  }

  /** The default stage engine and where the Spark engine runs. */
  public StageSettings stage() {
    return stage;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String clusterName = "local";
    private String metadataUrl;
    private String metadataUser = "";
    private String metadataPasswordSealed;
    private URI fileSystem = URI.create("file:///");
    private String basedir;
    private StageSettings stage = StageSettings.DEFAULT;

    public Builder clusterName(String name) {
      if (!NAME.matcher(name).matches()) {
        throw new FanoutException(
            "Cluster name '" + name + "' is not valid: use letters, digits, '_' or '-', starting with a letter.");
      }
      this.clusterName = name;
      return this;
    }

    public Builder metadataUrl(String url) {
      if (url == null || !url.startsWith("jdbc:")) {
        throw new FanoutException("Metadata URL '" + url + "' is not a JDBC URL (it must start with jdbc:).");
      }
      this.metadataUrl = url;
      return this;
    }

    public Builder metadataUser(String user) {
      this.metadataUser = user == null ? "" : user;
      return this;
    }

    public Builder metadataPasswordSealed(String sealed) {
      this.metadataPasswordSealed = sealed;
      return this;
    }

    public Builder fileSystem(String uri) {
      try {
        URI parsed = URI.create(uri);
        if (parsed.getScheme() == null) {
          throw new IllegalArgumentException("no scheme");
        }
        this.fileSystem = parsed;
      } catch (IllegalArgumentException e) {
        throw new FanoutException("File system '" + uri + "' is not a URI such as file:/// or hdfs://namenode:8020.");
      }
      return this;
    }

    public Builder basedir(String dir) {
      if (dir == null || !dir.startsWith("/")) {
        throw new FanoutException("Base directory '" + dir + "' must be an absolute path.");
      }
      this.basedir = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
      return this;
    }

    public Builder stage(StageSettings settings) {
      this.stage = settings == null ? StageSettings.DEFAULT : settings;
      return this;
    }

    public InstanceSettings build() {
      Objects.requireNonNull(metadataUrl, "metadataUrl");
      Objects.requireNonNull(basedir, "basedir");
      return new InstanceSettings(this);
    }
  }
}
