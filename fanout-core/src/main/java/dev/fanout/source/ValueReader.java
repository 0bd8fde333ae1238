package dev.fanout.source;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one column of the current row into the Java value Iceberg's generic data model expects. */
@FunctionalInterface
public interface ValueReader {
  Object read(ResultSet rs, int index) throws SQLException;
}
