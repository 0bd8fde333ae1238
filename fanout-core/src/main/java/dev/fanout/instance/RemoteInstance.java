package dev.fanout.instance;

import dev.fanout.cluster.Cluster;
import dev.fanout.config.InstanceSettings;
import dev.fanout.copy.CopyEngine;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * A {@code dbimport_instances} row: another cluster's Fanout instance, reached through its metadata
 * database and its file system. Credentials and the remote's key stay sealed with this instance's key;
 * {@code copyEngine} is what copies staging directories there.
 */
public record RemoteInstance(
    String name,
    String dbUrl,
    String sealedDbCredentials,
    String fileSystem,
    String basedir,
    boolean syncCredentials,
    String sealedRemoteKey,
    Long copyBandwidth,
    CopyEngine copyEngine) {

  /** A remote copied to with the default engine. */
  public RemoteInstance(String name, String dbUrl, String sealedDbCredentials, String fileSystem, String basedir,
      boolean syncCredentials, String sealedRemoteKey, Long copyBandwidth) {
    this(name, dbUrl, sealedDbCredentials, fileSystem, basedir, syncCredentials, sealedRemoteKey, copyBandwidth,
        CopyEngine.LOCAL);
  }

  /** The remote's cluster, opened with this instance's Hadoop configuration. */
  public Cluster cluster(Configuration conf) {
    return new Cluster(name, URI.create(fileSystem), basedir, conf);
  }

  /** The remote's settings as this instance knows them: its name, cluster and metadata database. */
  InstanceSettings settings() {
    return InstanceSettings.builder().clusterName(name).fileSystem(fileSystem).basedir(basedir).metadataUrl(dbUrl)
        .build();
  }

  @Override
  public String toString() {
    return "RemoteInstance{" + name + ", " + fileSystem + basedir + "}";
  }
}
