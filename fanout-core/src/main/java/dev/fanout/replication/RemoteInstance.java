package dev.fanout.replication;

/**
 * A {@code dbimport_instances} row: another cluster's Fanout instance, reached through its metadata
 * database and its file system. Credentials and the remote's key stay sealed with this instance's key.
 */
public record RemoteInstance(
    String name,
    String dbUrl,
    String sealedDbCredentials,
    String fileSystem,
    String basedir,
    boolean syncCredentials,
    String sealedRemoteKey,
    Long copyBandwidth) {

  @Override
  public String toString() {
    return "RemoteInstance{" + name + ", " + fileSystem + basedir + "}";
  }
}
