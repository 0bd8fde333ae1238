package dev.fanout.source;

import dev.fanout.jdbc.SqlErrors;

import dev.fanout.failure.FanoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/**
 * Streams one split of a {@link TableRead} from its own JDBC session into a sink, one reused record at
 * a time, so memory does not grow with the table.
 */
public final class SplitReader {
  /** Rows fetched per round trip; large enough for throughput, small enough to keep memory flat. */
  public static final int FETCH_SIZE = 10_000;
  private static final int PROGRESS_EVERY = 8_192;

  private final SourceSessions sessions;

  public SplitReader(SourceSessions sessions) {
    this.sessions = sessions;
  }

  /** Something that takes the rows of one split, in order; {@code accept} must not keep the record. */
  public interface Sink {
    void accept(Record row);
  }

  /** Reads the split and returns how many rows it produced; {@code progress} gets row deltas as they stream. */
  public long read(TableRead read, SqlFragment split, Schema stagedSchema, Sink sink, LongConsumer progress) {
    SourceDialect dialect = sessions.dialect();
    String sql = read.select(dialect, split);
    List<ValueReader> readers = read.readers();
    int n = readers.size();
    long rows = 0;
    try (Connection c = sessions.open();
        PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      dialect.prepareStreaming(c, ps, FETCH_SIZE);
      read.filter().and(split).bind(ps, 1);
      GenericRecord record = GenericRecord.create(stagedSchema);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          for (int i = 0; i < n; i++) {
            record.set(i, readers.get(i).read(rs, i + 1));
          }
          sink.accept(record);
          if (++rows % PROGRESS_EVERY == 0) {
            progress.accept(PROGRESS_EVERY);
          }
        }
      }
      progress.accept(rows % PROGRESS_EVERY);
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return rows;
    } catch (SQLException e) {
      throw new FanoutException("Reading " + read.displayName() + " from connection '" + sessions.alias()
          + "' failed after " + rows + " rows: " + SqlErrors.describe(e), e);
    }
  }

  /** Counts the rows of the read in the source, for validation. */
  public long count(TableRead read) {
    try (Connection c = sessions.open(); PreparedStatement ps = c.prepareStatement(read.count(SqlFragment.TRUE))) {
      read.filter().bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new FanoutException("Counting the rows of " + read.displayName() + " in connection '" + sessions.alias()
          + "' failed: " + SqlErrors.describe(e), e);
    }
  }
}
