package dev.fanout.mirror;

import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.TableName;
import dev.fanout.metadata.SqlFunction;
import dev.fanout.metadata.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** {@code table_syncs}: the last sync of each table to each destination, and the lease of a running one. */
public final class MirrorStateRepository {
  private static final String COLUMNS = "hive_db, hive_table, destination, source_uuid, synced_snapshot_id,"
      + " target_snapshot_id, last_mode, files_copied, bytes_copied, synced_at";
  private static final String KEY = " WHERE hive_db = ? AND hive_table = ? AND destination = ?";

  private final Sql tx;

  public MirrorStateRepository(Sql tx) {
    this.tx = tx;
  }

  public Optional<MirrorState> find(TableName table, String destination) {
    return tx.run("reading the sync state of " + table, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM table_syncs" + KEY)) {
        key(ps, table, destination, 1);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getString("source_uuid") != null ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Records a sync, in a transaction that first runs {@code fence} (the lease check). */
  public void record(MirrorState s, SqlFunction<?> fence) {
    tx.run("recording the sync of " + s.table(), c -> {
      fence.apply(c);
      ensureRow(c, s.table(), s.destination());
      try (PreparedStatement ps = c.prepareStatement("UPDATE table_syncs SET source_uuid = ?, synced_snapshot_id = ?,"
          + " target_snapshot_id = ?, last_mode = ?, files_copied = ?, bytes_copied = ?, synced_at = ?" + KEY)) {
        ps.setString(1, s.sourceUuid());
        setLong(ps, 2, s.syncedSnapshotId());
        setLong(ps, 3, s.targetSnapshotId());
        ps.setString(4, s.lastMode().name());
        ps.setLong(5, s.filesCopied());
        ps.setLong(6, s.bytesCopied());
        UtcTimes.set(ps, 7, s.syncedAt());
        key(ps, s.table(), s.destination(), 8);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The row id of a table's sync to a destination, made on first use: sync jobs are queued under it. */
  public long syncId(TableName table, String destination) {
    return tx.run("reading the sync id of " + table, c -> {
      ensureRow(c, table, destination);
      try (PreparedStatement ps = c.prepareStatement("SELECT sync_id FROM table_syncs" + KEY)) {
        key(ps, table, destination, 1);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private static void ensureRow(Connection c, TableName table, String destination) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM table_syncs" + KEY)) {
      key(ps, table, destination, 1);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    // a concurrent insert of the same key fails on the primary key; the caller's transaction retries nothing,
    // so the loser reports the sync as locked on its next try
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO table_syncs (hive_db, hive_table, destination) VALUES (?, ?, ?)")) {
      key(ps, table, destination, 1);
      ps.executeUpdate();
    }
  }

  private static void key(PreparedStatement ps, TableName table, String destination, int first) throws SQLException {
    ps.setString(first, table.db());
    ps.setString(first + 1, table.table());
    ps.setString(first + 2, destination);
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static MirrorState read(ResultSet rs) throws SQLException {
    long synced = rs.getLong("synced_snapshot_id");
    Long syncedId = rs.wasNull() ? null : synced;
    long target = rs.getLong("target_snapshot_id");
    Long targetId = rs.wasNull() ? null : target;
    Instant at = UtcTimes.get(rs, "synced_at");
    return new MirrorState(new TableName(rs.getString("hive_db"), rs.getString("hive_table")),
        rs.getString("destination"), rs.getString("source_uuid"), syncedId, targetId,
        MirrorMode.valueOf(rs.getString("last_mode")), rs.getLong("files_copied"), rs.getLong("bytes_copied"), at);
  }
}
