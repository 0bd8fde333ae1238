package dev.fanout.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** {@code configuration}: instance-wide switches shared by every process of the instance (e.g. paused copies). */
public final class ConfigurationRepository {
  /** "true" while the copy queue is paused: servers start no new job. */
  public static final String COPIES_PAUSED = "copy_jobs.paused";

  private final Sql tx;

  public ConfigurationRepository(Sql tx) {
    this.tx = tx;
  }

  public Optional<String> get(String key) {
    return tx.run("reading setting " + key, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT config_value FROM configuration WHERE config_key = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  public void set(String key, String value, String description) {
    tx.run("writing setting " + key, c -> {
      try (PreparedStatement update = c.prepareStatement(
          "UPDATE configuration SET config_value = ?, description = ? WHERE config_key = ?")) {
        update.setString(1, value);
        update.setString(2, description);
        update.setString(3, key);
        if (update.executeUpdate() == 0) {
          try (PreparedStatement insert = c.prepareStatement(
              "INSERT INTO configuration (config_key, config_value, description) VALUES (?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, value);
            insert.setString(3, description);
            insert.executeUpdate();
          }
        }
      }
      return null;
    });
  }

  /** Every setting whose key starts with {@code prefix}, by key. */
  public java.util.Map<String, String> startingWith(String prefix) {
    return tx.run("reading settings " + prefix + "*", c -> {
      java.util.Map<String, String> out = new java.util.TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT config_key, config_value FROM configuration")) {
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(1).startsWith(prefix)) {
              out.put(rs.getString(1), rs.getString(2));
            }
          }
        }
      }
      return out;
    });
  }

  public boolean copiesPaused() {
    return get(COPIES_PAUSED).map(Boolean::parseBoolean).orElse(false);
  }

  public void pauseCopies(boolean paused) {
    set(COPIES_PAUSED, Boolean.toString(paused), "set by 'fanout jobs pause|resume': servers start no new copy job");
  }
}
