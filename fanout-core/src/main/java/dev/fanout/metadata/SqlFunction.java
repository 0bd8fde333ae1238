package dev.fanout.metadata;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done on one metadata connection, inside one transaction. */
@FunctionalInterface
public interface SqlFunction<T> {
  T apply(Connection connection) throws SQLException;
}
