package dev.fanout.metadata;

import dev.fanout.jdbc.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** {@code import_statistics}: one row per finished import. */
public final class ImportStatisticsRepository {
  private static final String SELECT = "SELECT table_id, hive_db, hive_table, import_id, import_phase_type,"
      + " etl_phase_type, incr_minvalue, incr_maxvalue, sessions, source_rowcount, staged_rowcount, loaded_rowcount,"
      + " hive_rowcount, staged_bytes, snapshot_id, import_start, stage_stop, import_stop FROM import_statistics";
  private final Sql tx;

  public ImportStatisticsRepository(Sql tx) {
    this.tx = tx;
  }

  public void insert(ImportStatistics s) {
    tx.run("recording the statistics of " + s.target(), c -> {
      insert(c, s);
      return null;
    });
  }

  static void insert(Connection c, ImportStatistics s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO import_statistics (table_id, hive_db, hive_table, import_id, import_phase_type, etl_phase_type,"
            + " incr_minvalue, incr_maxvalue, sessions, source_rowcount, staged_rowcount, loaded_rowcount,"
            + " hive_rowcount, staged_bytes, snapshot_id, import_start, stage_stop, import_stop)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setLong(1, s.tableId());
      ps.setString(2, s.target().db());
      ps.setString(3, s.target().table());
      ps.setString(4, s.importId());
      ps.setString(5, s.importType().code());
      ps.setString(6, s.etlMode().code());
      ps.setString(7, s.incrMinValue());
      ps.setString(8, s.incrMaxValue());
      ps.setInt(9, s.sessions());
      ps.setLong(10, s.sourceRows());
      ps.setLong(11, s.stagedRows());
      ps.setLong(12, s.loadedRows());
      ps.setLong(13, s.lakeRows());
      ps.setLong(14, s.stagedBytes());
      ImportTableRepository.setNullableLong(ps, 15, s.snapshotId());
      UtcTimes.set(ps, 16, s.start());
      UtcTimes.set(ps, 17, s.stageStop());
      UtcTimes.set(ps, 18, s.stop());
      ps.executeUpdate();
    }
  }

  public Optional<ImportStatistics> latest(long tableId) {
    return tx.run("reading import statistics", c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE table_id = ? ORDER BY id DESC")) {
        ps.setLong(1, tableId);
        ps.setMaxRows(1);
        return read(ps).stream().findFirst();
      }
    });
  }

  /** When each table's last import ended, by table id: one query for a whole status screen. */
  public Map<Long, Instant> lastImports() {
    return tx.run("reading the last imports", c -> {
      Map<Long, Instant> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT table_id, MAX(import_stop) FROM import_statistics GROUP BY table_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getLong(1), UtcTimes.get(rs, 2));
        }
      }
      return out;
    });
  }

  /** The latest {@code limit} imports into a lake table, newest first: its history on the status page. */
  public List<ImportStatistics> recent(TableName table, int limit) {
    return tx.run("reading the imports of " + table, c -> {
      try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE hive_db = ? AND hive_table = ? ORDER BY id DESC")) {
        ps.setString(1, table.db());
        ps.setString(2, table.table());
        ps.setMaxRows(limit);
        return read(ps);
      }
    });
  }

  private static List<ImportStatistics> read(PreparedStatement ps) throws SQLException {
    List<ImportStatistics> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long snapshot = rs.getLong(15);
        Long snapshotId = rs.wasNull() ? null : snapshot;
        out.add(new ImportStatistics(rs.getLong(1), new TableName(rs.getString(2), rs.getString(3)),
            rs.getString(4), ImportType.of(rs.getString(5)), EtlMode.of(rs.getString(6)), rs.getString(7),
            rs.getString(8), rs.getInt(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13),
            rs.getLong(14), snapshotId, UtcTimes.get(rs, 16),
            UtcTimes.get(rs, 17), UtcTimes.get(rs, 18)));
      }
    }
    return out;
  }
}
