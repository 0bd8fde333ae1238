package dev.fanout.replication;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.Credentials;

/** The lake catalog of a remote instance, opened from here: its metadata database and its cluster. */
public final class RemoteLake implements AutoCloseable {
  private final MetadataDatabase db;
  private final Cluster cluster;
  private final LakeCatalog catalog;

  private RemoteLake(MetadataDatabase db, Cluster cluster) {
    this.db = db;
    this.cluster = cluster;
    this.catalog = new LakeCatalog(db, cluster);
  }

  public static RemoteLake open(Instance local, RemoteInstance remote) {
    Credentials credentials = local.credentials(remote.sealedDbCredentials());
    MetadataDatabase db = MetadataDatabase.open(remote.dbUrl(), credentials.user(), credentials.password(), false);
    try {
      return new RemoteLake(db, remote.cluster(local.cluster().conf()));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  public Cluster cluster() {
    return cluster;
  }

  public LakeCatalog catalog() {
    return catalog;
  }

  @Override
  public void close() {
    catalog.close();
    db.close();
  }
}
