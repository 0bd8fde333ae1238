package dev.fanout.replication;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.Credentials;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one idle connection to each embedded (H2) remote metadata database a server delivers to, for as
 * long as the server runs. H2 closes a database when its last connection closes; a server opening and
 * closing a connection per job made it close and reopen between jobs, and a commit racing that reopen
 * was seen lost (H2 2.3, several worker threads in one JVM). Server databases (MariaDB, PostgreSQL) need
 * nothing of the kind.
 */
final class EmbeddedRemotes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRemotes.class);
  private final Instance instance;
  private final Map<String, Connection> held = new HashMap<>();

  EmbeddedRemotes(Instance instance) {
    this.instance = instance;
  }

  synchronized void keepOpen(RemoteInstance remote) {
    if (!remote.dbUrl().startsWith("jdbc:h2:") || held.containsKey(remote.dbUrl())) {
      return;
    }
    Credentials credentials = instance.credentials(remote.sealedDbCredentials());
    try {
      held.put(remote.dbUrl(), DriverManager.getConnection(MetadataDatabase.normalizeUrl(remote.dbUrl()),
          credentials.user(), credentials.password()));
    } catch (SQLException e) {
      // the delivery itself reports an unreachable database; this is only an optimisation of its lifetime
      LOG.debug("Cannot hold the metadata database of instance {} open: {}", remote.name(), e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    for (Connection c : held.values()) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing at shutdown; nothing to recover
      }
    }
    held.clear();
  }
}
