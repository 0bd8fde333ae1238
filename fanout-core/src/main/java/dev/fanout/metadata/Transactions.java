package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

/** Runs work in one metadata transaction: all of it commits, or none. Times go through {@link dev.fanout.jdbc.UtcTimes}. */
public final class Transactions implements Sql {
  private final MetadataDatabase db;

  public Transactions(MetadataDatabase db) {
    this.db = db;
  }

  @Override
  public <T> T run(String what, SqlFunction<T> work) {
    try (Connection c = db.connection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollBack(c, e);
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new FanoutException("Metadata database error while " + what + ": " + SqlErrors.describe(e), e);
    }
  }

  /** A rollback that fails (the connection broke) never hides the failure that called for it. */
  private static void rollBack(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /** Runs {@code work} with repositories bound to one transaction: everything it writes commits together. */
  public <T> T inTransaction(String what, Function<UnitOfWork, T> work) {
    return run(what, c -> work.apply(new UnitOfWork(c, db.vendor())));
  }

  @Override
  public MetadataDatabase.Vendor vendor() {
    return db.vendor();
  }
}
