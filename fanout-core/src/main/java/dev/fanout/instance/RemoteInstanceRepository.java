package dev.fanout.instance;

import dev.fanout.failure.FanoutException;
import dev.fanout.copy.CopyEngine;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code dbimport_instances}: the remote Fanout instances this one copies to. */
public final class RemoteInstanceRepository {
  private static final String COLUMNS =
      "name, db_url, db_credentials, hdfs_address, hdfs_basedir, sync_credentials, remote_key, copy_bandwidth,"
      + " copy_engine";
  private final Sql tx;

  public RemoteInstanceRepository(Sql tx) {
    this.tx = tx;
  }

  public void add(RemoteInstance r) {
    tx.run("adding instance " + r.name(), c -> {
      if (find(c, r.name()).isPresent()) {
        throw new FanoutException("Instance '" + r.name() + "' already exists; remove it first to change it.");
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO dbimport_instances (" + COLUMNS
          + ", created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, r.name());
        ps.setString(2, r.dbUrl());
        ps.setString(3, r.sealedDbCredentials());
        ps.setString(4, r.fileSystem());
        ps.setString(5, r.basedir());
        ps.setInt(6, r.syncCredentials() ? 1 : 0);
        ps.setString(7, r.sealedRemoteKey());
        if (r.copyBandwidth() == null) {
          ps.setNull(8, java.sql.Types.BIGINT);
        } else {
          ps.setLong(8, r.copyBandwidth());
        }
        ps.setString(9, r.copyEngine().code());
        UtcTimes.set(ps, 10, Instant.now());
        ps.executeUpdate();
      }
      return null;
    });
  }

  public void updateCredentials(String name, String sealedDbCredentials) {
    tx.run("updating the credentials of instance " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE dbimport_instances SET db_credentials = ? WHERE name = ?")) {
        ps.setString(1, sealedDbCredentials);
        ps.setString(2, name);
        if (ps.executeUpdate() == 0) {
          throw unknown(name);
        }
      }
      return null;
    });
  }

  public Optional<RemoteInstance> find(String name) {
    return tx.run("reading instance " + name, c -> find(c, name));
  }

  public RemoteInstance require(String name) {
    return find(name).orElseThrow(() -> unknown(name));
  }

  public List<RemoteInstance> list() {
    return tx.run("listing instances", c -> {
      List<RemoteInstance> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dbimport_instances ORDER BY name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  public void remove(String name) {
    tx.run("removing instance " + name, c -> {
      List<String> users = users(c, name);
      if (!users.isEmpty()) {
        throw new FanoutException("Instance '" + name + "' is still named by " + String.join(", ", users)
            + "; remove those (or cancel the jobs) first.");
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM dbimport_instances WHERE name = ?")) {
        ps.setString(1, name);
        if (ps.executeUpdate() == 0) {
          throw unknown(name);
        }
      }
      return null;
    });
  }

  /** What still sends work to an instance: copy rules, mirror rules and copy jobs that have not ended. */
  private static List<String> users(Connection c, String name) throws SQLException {
    List<String> users = new ArrayList<>();
    long rules = count(c, "SELECT COUNT(*) FROM copy_tables WHERE destination = ?", name);
    if (rules > 0) {
      users.add(rules + " copy rule(s) ('fanout copy-rule list')");
    }
    long mirrorRules = count(c, "SELECT COUNT(*) FROM sync_rules WHERE destination = ?", name);
    if (mirrorRules > 0) {
      users.add(mirrorRules + " mirror rule(s) ('fanout mirror-rule list')");
    }
    long jobs = count(c, "SELECT COUNT(*) FROM copy_jobs WHERE destination = ? AND state NOT IN ('DONE',"
        + " 'SUPERSEDED', 'CANCELLED')", name);
    if (jobs > 0) {
      users.add(jobs + " unfinished copy job(s) ('fanout jobs --destination " + name + "')");
    }
    return users;
  }

  private static long count(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static FanoutException unknown(String name) {
    return new FanoutException("Unknown instance '" + name + "'; 'fanout instance list' shows the ones that exist.");
  }

  private static Optional<RemoteInstance> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM dbimport_instances WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static RemoteInstance read(ResultSet rs) throws SQLException {
    return new RemoteInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getInt(6) == 1, rs.getString(7), rs.getObject(8) == null ? null : rs.getLong(8),
        CopyEngine.parse(rs.getString(9)));
  }
}
