package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code copy_tables}: which tables are copied where. */
public final class CopyRuleRepository {
  private final Sql tx;

  public CopyRuleRepository(Sql tx) {
    this.tx = tx;
  }

  public CopyRule add(TableFilter filter, String destination, DataTransfer transfer) {
    return add(filter, destination, transfer, false);
  }

  public CopyRule add(TableFilter filter, String destination, DataTransfer transfer, boolean allowBacklog) {
    return tx.run("adding a copy rule", c -> add(c, filter, destination, transfer, allowBacklog));
  }

  static CopyRule add(Connection c, TableFilter filter, String destination, DataTransfer transfer,
      boolean allowBacklog) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO copy_tables (hive_filter, destination, data_transfer,"
        + " allow_backlog, created) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setString(1, filter.toString());
      ps.setString(2, destination);
      ps.setString(3, transfer.code());
      ps.setInt(4, allowBacklog ? 1 : 0);
      UtcTimes.set(ps, 5, Instant.now());
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return new CopyRule(keys.getLong(1), filter, destination, transfer, allowBacklog);
      }
    }
  }

  public List<CopyRule> list() {
    return tx.run("listing copy rules", CopyRuleRepository::list);
  }

  public static List<CopyRule> list(Connection c) throws SQLException {
    List<CopyRule> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT copy_id, hive_filter, destination, data_transfer, allow_backlog FROM copy_tables ORDER BY copy_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CopyRule(rs.getLong(1), TableFilter.parse(rs.getString(2)), rs.getString(3),
            DataTransfer.of(rs.getString(4)), rs.getInt(5) == 1));
      }
    }
    return out;
  }

  public void remove(long id) {
    tx.run("removing copy rule " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM copy_tables WHERE copy_id = ?")) {
        ps.setLong(1, id);
        if (ps.executeUpdate() == 0) {
          throw new FanoutException("Unknown copy rule " + id + "; 'fanout copy-rule list' shows them.");
        }
      }
      return null;
    });
  }
}
