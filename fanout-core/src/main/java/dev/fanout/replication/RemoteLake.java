package dev.fanout.replication;

import dev.fanout.Instance;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.Credentials;

/** The lake catalog of a remote instance, opened read-mostly from here: its metadata database and its cluster. */
public final class RemoteLake implements AutoCloseable {
  private final MetadataDatabase db;
  private final LakeCatalog catalog;

  private RemoteLake(MetadataDatabase db, LakeCatalog catalog) {
    this.db = db;
    this.catalog = catalog;
  }

  public static RemoteLake open(Instance local, RemoteInstance remote) {
    Credentials credentials = local.credentials(remote.sealedDbCredentials());
    MetadataDatabase db = MetadataDatabase.open(remote.dbUrl(), credentials.user(), credentials.password(), false);
    try {
      return new RemoteLake(db, new LakeCatalog(db, new RemoteDelivery(local).remoteCluster(remote)));
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
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
