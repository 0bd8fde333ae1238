package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One metadata transaction that several repositories write through: all of it commits, or none. Made by
 * {@link Transactions#inTransaction}; repositories built on it run every call on its connection.
 */
public final class UnitOfWork implements Sql {
  private final Connection connection;
  private final MetadataDatabase.Vendor vendor;

  UnitOfWork(Connection connection, MetadataDatabase.Vendor vendor) {
    this.connection = connection;
    this.vendor = vendor;
  }

  @Override
  public <T> T run(String what, SqlFunction<T> work) {
    try {
      return work.apply(connection);
    } catch (SQLException e) {
      throw new FanoutException("Metadata database error while " + what + ": " + SqlErrors.describe(e), e);
    }
  }

  @Override
  public MetadataDatabase.Vendor vendor() {
    return vendor;
  }

  /** The transaction's connection, for checks that run in it (a lease's fencing check). */
  public Connection connection() {
    return connection;
  }

  public ImportTableRepository tables() {
    return new ImportTableRepository(this);
  }

  public StagedImportRepository stagedImports() {
    return new StagedImportRepository(this);
  }

  public ImportStatisticsRepository statistics() {
    return new ImportStatisticsRepository(this);
  }

  public ConnectionRepository connections() {
    return new ConnectionRepository(this);
  }
}
