package dev.fanout.metadata;

import dev.fanout.jdbc.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code staged_imports}: complete staging directories and whether they were loaded. */
public final class StagedImportRepository {
  private final Sql tx;

  public StagedImportRepository(Sql tx) {
    this.tx = tx;
  }

  public void record(StagedImport s) {
    tx.run("recording staged import " + s.importId(), c -> {
      record(c, s);
      return null;
    });
  }

  /** Records a staged import inside a caller's transaction (copy jobs join it later). */
  static void record(Connection c, StagedImport s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO staged_imports (import_id, table_id, staging_path, state, import_phase_type, incr_minvalue,"
            + " incr_maxvalue, source_rowcount, staged_rowcount, staged_bytes, created) VALUES (?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, s.importId());
      ps.setLong(2, s.tableId());
      ps.setString(3, s.stagingPath());
      ps.setString(4, s.state().name());
      ps.setString(5, s.importType().code());
      ps.setString(6, s.incrMinValue());
      ps.setString(7, s.incrMaxValue());
      ps.setLong(8, s.sourceRows());
      ps.setLong(9, s.stagedRows());
      ps.setLong(10, s.stagedBytes());
      UtcTimes.set(ps, 11, s.created());
      ps.executeUpdate();
    }
  }

  /** Staged imports of a table not loaded yet, oldest first. */
  public List<StagedImport> unloaded(long tableId) {
    return select("WHERE table_id = ? AND state = 'STAGED' ORDER BY created, import_id", tableId);
  }

  public Optional<StagedImport> find(String importId) {
    return select("WHERE import_id = ?", importId).stream().findFirst();
  }

  private List<StagedImport> select(String where, Object arg) {
    return tx.run("reading staged imports", c -> {
      List<StagedImport> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT import_id, table_id, staging_path, state, import_phase_type, incr_minvalue, incr_maxvalue,"
              + " source_rowcount, staged_rowcount, staged_bytes, created FROM staged_imports " + where)) {
        ps.setObject(1, arg);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new StagedImport(rs.getString(1), rs.getLong(2), rs.getString(3),
                StagedImport.State.valueOf(rs.getString(4)), ImportType.of(rs.getString(5)), rs.getString(6),
                rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                UtcTimes.get(rs, 11)));
          }
        }
      }
      return out;
    });
  }

  public void markState(String importId, StagedImport.State state) {
    tx.run("marking staged import " + importId + " " + state, c -> {
      markState(c, importId, state);
      return null;
    });
  }

  static void markState(Connection c, String importId, StagedImport.State state) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE staged_imports SET state = ?, loaded = ? WHERE import_id = ?")) {
      ps.setString(1, state.name());
      UtcTimes.set(ps, 2, state == StagedImport.State.LOADED ? Instant.now() : null);
      ps.setString(3, importId);
      ps.executeUpdate();
    }
  }
}
