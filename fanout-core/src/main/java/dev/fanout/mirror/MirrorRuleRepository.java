package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import dev.fanout.replication.TableFilter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code sync_rules}: which tables the server syncs to which instances after every commit. */
public final class MirrorRuleRepository {
  private final Sql tx;

  public MirrorRuleRepository(Sql tx) {
    this.tx = tx;
  }

  public long add(TableFilter filter, String destination) {
    return tx.run("adding a sync rule", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO sync_rules (table_filter, destination, created)"
          + " VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, filter.toString());
        ps.setString(2, destination);
        UtcTimes.set(ps, 3, Instant.now());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  public List<MirrorRule> list() {
    return tx.run("listing sync rules", c -> {
      List<MirrorRule> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT rule_id, table_filter, destination, created FROM sync_rules ORDER BY rule_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new MirrorRule(rs.getLong(1), TableFilter.parse(rs.getString(2)), rs.getString(3),
              UtcTimes.get(rs, 4)));
        }
      }
      return out;
    });
  }

  public void remove(long id) {
    tx.run("removing sync rule " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM sync_rules WHERE rule_id = ?")) {
        ps.setLong(1, id);
        if (ps.executeUpdate() == 0) {
          throw new FanoutException("There is no sync rule " + id + "; 'fanout sync-rule list' shows them.");
        }
      }
      return null;
    });
  }
}
