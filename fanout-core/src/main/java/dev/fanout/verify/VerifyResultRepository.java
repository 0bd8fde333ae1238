package dev.fanout.verify;

import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import dev.fanout.metadata.TableName;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code verify_results}: every verify's outcome, for a table's history. */
public final class VerifyResultRepository {
  private static final int TEXT = 4000;
  private final Sql tx;

  public VerifyResultRepository(Sql tx) {
    this.tx = tx;
  }

  /** @param tableId the imported table's id, or null for a table only mirrored here */
  public void add(Long tableId, VerifyResult r) {
    tx.run("recording the verify of " + r.table(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO verify_results (table_id, hive_db, hive_table,"
          + " instances, with_source, outcome, row_counts, differences, verified) VALUES (?,?,?,?,?,?,?,?,?)")) {
        if (tableId == null) {
          ps.setNull(1, java.sql.Types.BIGINT);
        } else {
          ps.setLong(1, tableId);
        }
        ps.setString(2, r.table().db());
        ps.setString(3, r.table().table());
        ps.setString(4, cut(String.join(",", r.instances()), 2000));
        ps.setInt(5, r.withSource() ? 1 : 0);
        ps.setString(6, r.agree() ? "AGREE" : "DIFFER");
        ps.setString(7, cut(r.rowCounts(), TEXT));
        ps.setString(8, r.differences() == null ? null : cut(r.differences(), TEXT));
        UtcTimes.set(ps, 9, r.verified());
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The latest {@code limit} verifies of a table, newest first. */
  public List<VerifyResult> recent(TableName table, int limit) {
    return tx.run("reading the verifies of " + table, c -> {
      List<VerifyResult> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT instances, with_source, outcome, row_counts, differences,"
          + " verified FROM verify_results WHERE hive_db = ? AND hive_table = ? ORDER BY result_id DESC")) {
        ps.setString(1, table.db());
        ps.setString(2, table.table());
        ps.setMaxRows(limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new VerifyResult(table, Arrays.asList(rs.getString(1).split(",")), rs.getInt(2) == 1,
                rs.getString(3).equals("AGREE"), rs.getString(4), rs.getString(5),
                UtcTimes.get(rs, 6)));
          }
        }
      }
      return out;
    });
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
