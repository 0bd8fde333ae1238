package dev.fanout.metadata;

/**
 * Where a repository runs its statements: each call in a transaction of its own ({@link Transactions}),
 * or every call in one caller's transaction ({@link UnitOfWork}), so that the same repository code
 * serves both and nothing needs a static variant taking a connection.
 */
public interface Sql {
  /** Runs {@code work}; {@code what} names it in the one-sentence error if the database fails. */
  <T> T run(String what, SqlFunction<T> work);

  MetadataDatabase.Vendor vendor();
}
