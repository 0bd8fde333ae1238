package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.StageEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code import_tables} and {@code import_columns}: what to import. (The import lock is a lease: see LeaseStore.) */
public final class ImportTableRepository {
  private static final String COLUMNS = "table_id, hive_db, hive_table, dbalias, source_schema, source_table,"
      + " import_phase_type, etl_phase_type, incr_mode, incr_column, incr_maxvalue, pk_column_override,"
      + " split_by_column, mappers, validate_diff_allowed, copy_slave, copy_finished, source_rowcount,"
      + " hive_rowcount, last_import_id, stage_engine, merge_deletes, history_table, time_as";

  private final Sql tx;

  public ImportTableRepository(Sql tx) {
    this.tx = tx;
  }

  /** Adds a table with its columns; refuses a target that is already configured. */
  public ImportTable add(ImportTable table, List<ImportColumn> columns) {
    return tx.run("adding table " + table.target(), c -> {
      if (find(c, table.target()).isPresent()) {
        throw new FanoutException("Table " + table.target() + " is already configured; 'fanout table show "
            + table.target() + "' shows it.");
      }
      long id;
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO import_tables (hive_db, hive_table, dbalias, source_schema, source_table, import_phase_type,"
              + " etl_phase_type, incr_mode, incr_column, pk_column_override, split_by_column, mappers,"
              + " validate_diff_allowed, copy_slave, created, stage_engine, merge_deletes, history_table, time_as)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, table.target().db());
        ps.setString(2, table.target().table());
        ps.setString(3, table.connection());
        ps.setString(4, table.sourceSchema());
        ps.setString(5, table.sourceTable());
        ps.setString(6, table.importType().code());
        ps.setString(7, table.etlMode().code());
        ps.setString(8, table.incrMode() == null ? null : table.incrMode().code());
        ps.setString(9, table.incrColumn());
        ps.setString(10, table.primaryKeyOverride().isEmpty() ? null : String.join(",", table.primaryKeyOverride()));
        ps.setString(11, table.splitBy());
        ps.setInt(12, table.sessions());
        ps.setLong(13, table.validateDiffAllowed());
        ps.setInt(14, table.copySlave() ? 1 : 0);
        UtcTimes.set(ps, 15, Instant.now());
        ps.setString(16, table.stageEngine() == null ? null : table.stageEngine().code());
        ps.setString(17, table.deletes().code());
        ps.setInt(18, table.history() ? 1 : 0);
        ps.setString(19, table.timeAs().code());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      replaceColumns(c, id, columns);
      return table.toBuilder().id(id).build();
    });
  }

  public Optional<ImportTable> find(TableName name) {
    return tx.run("reading table " + name, c -> find(c, name));
  }

  public ImportTable require(TableName name) {
    return find(name).orElseThrow(() -> new FanoutException(
        "Unknown table " + name + "; add it with 'fanout table add' or list them with 'fanout table list'."));
  }

  public List<ImportTable> list() {
    return tx.run("listing tables", c -> {
      List<ImportTable> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM import_tables ORDER BY hive_db, hive_table");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  public List<ImportColumn> columns(long tableId) {
    return tx.run("reading columns", c -> columns(c, tableId));
  }

  static List<ImportColumn> columns(Connection c, long tableId) throws SQLException {
    List<ImportColumn> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT column_name, column_order, source_column_type, jdbc_type, column_precision, column_scale, column_type,"
            + " source_primary_key, include_in_import FROM import_columns WHERE table_id = ? ORDER BY column_order")) {
      ps.setLong(1, tableId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new ImportColumn(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
              rs.getInt(6), rs.getString(7), rs.getInt(8), rs.getInt(9) == 1));
        }
      }
    }
    return out;
  }

  public void replaceColumns(long tableId, List<ImportColumn> columns) {
    tx.run("replacing the columns of table " + tableId, c -> {
      replaceColumns(c, tableId, columns);
      return null;
    });
  }

  /** Replaces the column list of a table (after schema drift was accepted). */
  static void replaceColumns(Connection c, long tableId, List<ImportColumn> columns) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM import_columns WHERE table_id = ?")) {
      del.setLong(1, tableId);
      del.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO import_columns (table_id, column_name, column_order, source_column_type, jdbc_type,"
            + " column_precision, column_scale, column_type, source_primary_key, include_in_import,"
            + " last_update_from_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (ImportColumn col : columns) {
        ps.setLong(1, tableId);
        ps.setString(2, col.name());
        ps.setInt(3, col.order());
        ps.setString(4, col.sourceType());
        ps.setInt(5, col.jdbcType());
        ps.setInt(6, col.precision());
        ps.setInt(7, col.scale());
        ps.setString(8, col.lakeType());
        ps.setInt(9, col.primaryKeyPosition());
        ps.setInt(10, col.included() ? 1 : 0);
        UtcTimes.set(ps, 11, Instant.now());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  public long upsertCopy(ImportTable t, boolean copySlave) {
    return tx.run("writing the copied configuration of " + t.target(), c -> upsertCopy(c, t, copySlave));
  }

  /**
   * Creates or updates a table's configuration as a copy of another instance's, keeping this instance's
   * history: {@code copySlave} true for a copy that loads what is copied to it, false for one that imports
   * from the source itself ({@code fanout copy dag --no-slave}). Returns the local table id.
   */
  static long upsertCopy(Connection c, ImportTable t, boolean copySlave) throws SQLException {
    Optional<ImportTable> existing = find(c, t.target());
    String sql = existing.isPresent()
        ? "UPDATE import_tables SET dbalias = ?, source_schema = ?, source_table = ?, import_phase_type = ?,"
            + " etl_phase_type = ?, incr_mode = ?, incr_column = ?, pk_column_override = ?, split_by_column = ?,"
            + " mappers = ?, validate_diff_allowed = ?, merge_deletes = ?, history_table = ?, time_as = ?, copy_slave = "
            + (copySlave ? 1 : 0) + " WHERE hive_db = ? AND hive_table = ?"
        : "INSERT INTO import_tables (dbalias, source_schema, source_table, import_phase_type, etl_phase_type,"
            + " incr_mode, incr_column, pk_column_override, split_by_column, mappers, validate_diff_allowed,"
            + " merge_deletes, history_table, time_as, hive_db, hive_table, copy_slave, created)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + (copySlave ? 1 : 0) + ", ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, t.connection());
      ps.setString(2, t.sourceSchema());
      ps.setString(3, t.sourceTable());
      ps.setString(4, t.importType().code());
      ps.setString(5, t.etlMode().code());
      ps.setString(6, t.incrMode() == null ? null : t.incrMode().code());
      ps.setString(7, t.incrColumn());
      ps.setString(8, t.primaryKeyOverride().isEmpty() ? null : String.join(",", t.primaryKeyOverride()));
      ps.setString(9, t.splitBy());
      ps.setInt(10, t.sessions());
      ps.setLong(11, t.validateDiffAllowed());
      ps.setString(12, t.deletes().code());
      ps.setInt(13, t.history() ? 1 : 0);
      ps.setString(14, t.timeAs().code());
      ps.setString(15, t.target().db());
      ps.setString(16, t.target().table());
      if (existing.isEmpty()) {
        UtcTimes.set(ps, 17, Instant.now());
      }
      ps.executeUpdate();
    }
    return find(c, t.target()).orElseThrow().id();
  }

  public void setRole(long tableId, boolean copySlave, String incrMaxValue) {
    tx.run("switching the role of table " + tableId, c -> {
      setRole(c, tableId, copySlave, incrMaxValue);
      return null;
    });
  }

  /**
   * Makes this instance the importer of a table ({@code copySlave} false, starting from the given
   * watermark) or a copy_slave of it: the two halves of a failover.
   */
  static void setRole(Connection c, long tableId, boolean copySlave, String incrMaxValue) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE import_tables SET copy_slave = ?, incr_maxvalue = ? WHERE table_id = ?")) {
      ps.setInt(1, copySlave ? 1 : 0);
      ps.setString(2, incrMaxValue);
      ps.setLong(3, tableId);
      ps.executeUpdate();
    }
  }

  public void markCopyFinished(long tableId, Instant when) {
    tx.run("setting copy_finished of table " + tableId, c -> {
      markCopyFinished(c, tableId, when);
      return null;
    });
  }

  /**
   * Stamps {@code copy_finished}: fresh data and its metadata are both in place. It never moves
   * backwards: of two copies that commit in the other order than they finished, the later stamp stays,
   * so a scheduler that saw it never sees it fall back.
   */
  static void markCopyFinished(Connection c, long tableId, Instant when) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE import_tables SET copy_finished = ? WHERE table_id = ?"
        + " AND (copy_finished IS NULL OR copy_finished < ?)")) {
      UtcTimes.set(ps, 1, when);
      ps.setLong(2, tableId);
      UtcTimes.set(ps, 3, when);
      ps.executeUpdate();
    }
  }

  public void recordLoad(ImportTable table, String newWatermark, long sourceRows, long lakeRows, String importId) {
    tx.run("recording the load of " + table.target(), c -> {
      recordLoad(c, table, newWatermark, sourceRows, lakeRows, importId);
      return null;
    });
  }

  /** Records the end of a successful load: watermark, counts, last import. Part of the load's transaction. */
  static void recordLoad(Connection c, ImportTable table, String newWatermark, long sourceRows, long lakeRows,
      String importId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE import_tables SET incr_maxvalue = ?, source_rowcount = ?, hive_rowcount = ?, last_import_id = ?"
            + " WHERE table_id = ?")) {
      ps.setString(1, newWatermark);
      ps.setLong(2, sourceRows);
      ps.setLong(3, lakeRows);
      ps.setString(4, importId);
      ps.setLong(5, table.id());
      ps.executeUpdate();
    }
  }



  private static Optional<ImportTable> find(Connection c, TableName name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM import_tables WHERE hive_db = ? AND hive_table = ?")) {
      ps.setString(1, name.db());
      ps.setString(2, name.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static ImportTable read(ResultSet rs) throws SQLException {
    String incrMode = rs.getString("incr_mode");
    return new ImportTable(
        rs.getLong("table_id"),
        new TableName(rs.getString("hive_db"), rs.getString("hive_table")),
        rs.getString("dbalias"),
        rs.getString("source_schema"),
        rs.getString("source_table"),
        ImportType.of(rs.getString("import_phase_type")),
        EtlMode.of(rs.getString("etl_phase_type")),
        incrMode == null ? null : IncrMode.of(incrMode),
        rs.getString("incr_column"),
        rs.getString("incr_maxvalue"),
        parseList(rs.getString("pk_column_override")),
        rs.getString("split_by_column"),
        rs.getInt("mappers"),
        rs.getLong("validate_diff_allowed"),
        rs.getInt("copy_slave") == 1,
        UtcTimes.get(rs, "copy_finished"),
        nullableLong(rs, "source_rowcount"),
        nullableLong(rs, "hive_rowcount"),
        rs.getString("last_import_id"),
        stageEngine(rs.getString("stage_engine")),
        MergeDeletes.of(rs.getString("merge_deletes")),
        rs.getInt("history_table") == 1,
        TimeAs.of(rs.getString("time_as")));
  }

  private static StageEngine stageEngine(String code) {
    return code == null ? null : StageEngine.of(code);
  }

  private static List<String> parseList(String s) {
    return s == null || s.isBlank() ? List.of() : List.of(s.split(","));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }
}
