package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.metadata.ConnectionRepository;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.SqlFunction;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.security.Credentials;
import dev.fanout.source.JdbcUrls;
import dev.fanout.source.SqlErrors;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The metadata database of a remote instance, as this instance writes to it: the configuration of a
 * copied table ({@code copy_slave = 1}), the staged import the remote should load, and
 * {@code copy_finished}, all in one transaction, after the data is in place.
 */
public final class RemoteMetadata implements AutoCloseable {
  private final String instance;
  private final Connection connection;

  private RemoteMetadata(String instance, Connection connection) {
    this.instance = instance;
    this.connection = connection;
  }

  /** Connects and checks that the remote's schema is at least this Fanout's. */
  public static RemoteMetadata open(String instance, String url, Credentials credentials) {
    Connection c;
    try {
      DriverManager.setLoginTimeout(10);
      c = DriverManager.getConnection(MetadataDatabase.normalizeUrl(url), credentials.user(), credentials.password());
    } catch (SQLException e) {
      String why = SqlErrors.isAuthenticationFailure(e) ? "wrong user or password (store new ones with 'fanout instance encrypt "
          + instance + "')" : SqlErrors.describe(e);
      throw new FanoutException("Cannot reach the metadata database of instance '" + instance + "' at "
          + JdbcUrls.redact(url) + ": " + why + ".", e);
    }
    try {
      int version = MetadataDatabase.schemaVersion(c);
      // a schema changes only when a person upgrades one side: retrying meanwhile is useless
      if (version < MetadataDatabase.SCHEMA_VERSION) {
        throw new NeedsPersonException("The metadata database of instance '" + instance + "' is at schema version "
            + version + ", older than this Fanout's " + MetadataDatabase.SCHEMA_VERSION
            + "; run 'fanout init' or any command of a current Fanout there first.");
      }
      if (version > MetadataDatabase.SCHEMA_VERSION) {
        throw new NeedsPersonException("The metadata database of instance '" + instance + "' is at schema version "
            + version + ", newer than this Fanout's " + MetadataDatabase.SCHEMA_VERSION
            + "; upgrade Fanout here to the release that upgraded it.");
      }
      return new RemoteMetadata(instance, c);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * Publishes one staged import that is already complete on the remote's cluster: connection, table,
   * columns, the staged import to load, and {@code copy_finished}, in one transaction.
   */
  public void publish(SourceConnection sourceConnection, ImportTable table, List<ImportColumn> columns,
      StagedImport staged, Instant copyFinished) {
    try {
      connection.setAutoCommit(false);
      ConnectionRepository.upsert(connection, sourceConnection);
      long remoteId = ImportTableRepository.upsertCopySlave(connection, table);
      ImportTableRepository.replaceColumns(connection, remoteId, columns);
      if (!stagedImportExists(staged.importId())) {
        StagedImportRepository.record(connection, new StagedImport(staged.importId(), remoteId, staged.stagingPath(),
            StagedImport.State.STAGED, staged.importType(), staged.incrMinValue(), staged.incrMaxValue(),
            staged.sourceRows(), staged.stagedRows(), staged.stagedBytes(), staged.created()));
      }
      ImportTableRepository.markCopyFinished(connection, remoteId, copyFinished);
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; the transaction is lost with it
      }
      throw new FanoutException("Writing the metadata of " + table.target() + " to instance '" + instance
          + "' failed: " + SqlErrors.describe(e), e);
    }
  }

  /** One table's configuration as a remote stores it: its connection, its {@code import_tables} row, its columns. */
  public record TableConfiguration(SourceConnection connection, ImportTable table, List<ImportColumn> columns) {}

  /**
   * Publishes the configuration of tables without data (no staged import; {@code copy_finished} and the
   * watermark untouched): their connections, tables ({@code copy_slave} as given) and columns, then
   * {@code alsoInTransaction} (e.g. a DAG definition), all in one transaction, so the remote sees all or none.
   */
  public void publishConfiguration(List<TableConfiguration> tables, boolean copySlave,
      SqlFunction<?> alsoInTransaction) {
    try {
      connection.setAutoCommit(false);
      for (TableConfiguration t : tables) {
        ConnectionRepository.upsert(connection, t.connection());
        long remoteId = ImportTableRepository.upsertCopy(connection, t.table(), copySlave);
        ImportTableRepository.replaceColumns(connection, remoteId, t.columns());
      }
      alsoInTransaction.apply(connection);
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; the transaction is lost with it
      }
      throw new FanoutException("Writing the configuration of " + tables.size() + " table(s) to instance '" + instance
          + "' failed: " + SqlErrors.describe(e), e);
    }
  }

  private boolean stagedImportExists(String importId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM staged_imports WHERE import_id = ?")) {
      ps.setString(1, importId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing after use; nothing to recover
    }
  }
}
