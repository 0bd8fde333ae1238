package dev.fanout.failover;

import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/** {@code role_switches}: every failover and failback, when, which tables, from and to which instance. */
final class RoleSwitchRepository {
  private final Sql tx;

  RoleSwitchRepository(Sql tx) {
    this.tx = tx;
  }

  long started(String kind, String tables, String from, String to) {
    return tx.run("recording a " + kind.toLowerCase(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO role_switches (kind, table_names, from_instance,"
          + " to_instance, started) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, kind);
        ps.setString(2, tables.length() > 4000 ? tables.substring(0, 3999) + "…" : tables);
        ps.setString(3, from);
        ps.setString(4, to);
        UtcTimes.set(ps, 5, Instant.now());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  void finished(long id) {
    tx.run("recording the end of a role switch", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE role_switches SET finished = ? WHERE switch_id = ?")) {
        UtcTimes.set(ps, 1, Instant.now());
        ps.setLong(2, id);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The instance the last finished failover of these tables went to, if any. */
  Optional<String> lastFailoverTarget(String tables) {
    return tx.run("reading role switches", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT kind, to_instance FROM role_switches WHERE table_names = ?"
          + " AND finished IS NOT NULL ORDER BY switch_id DESC")) {
        ps.setString(1, tables);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getString(1).equals("FAILOVER")) {
            return Optional.of(rs.getString(2));
          }
          return Optional.empty();
        }
      }
    });
  }
}
