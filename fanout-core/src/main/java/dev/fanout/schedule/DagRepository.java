package dev.fanout.schedule;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Sql;
import dev.fanout.replication.TableFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code airflow_dags}: the DAG definitions of this instance. */
public final class DagRepository {
  private static final String COLUMNS = "dag_name, table_filter, schedule_interval, pool, retries";
  private final Sql tx;

  public DagRepository(Sql tx) {
    this.tx = tx;
  }

  /** Adds a DAG; refuses a name that exists (remove it first to change it). */
  public void add(Dag dag) {
    tx.run("adding DAG " + dag.name(), c -> {
      if (find(c, dag.name()).isPresent()) {
        throw new FanoutException("DAG '" + dag.name() + "' already exists; remove it first to change it.");
      }
      insert(c, dag);
      return null;
    });
  }

  public void upsert(Dag dag) {
    tx.run("writing DAG " + dag.name(), c -> {
      upsert(c, dag);
      return null;
    });
  }

  /** Creates or replaces a DAG, inside the caller's transaction (a copy to a remote instance). */
  static void upsert(Connection c, Dag dag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM airflow_dags WHERE dag_name = ?")) {
      ps.setString(1, dag.name());
      ps.executeUpdate();
    }
    insert(c, dag);
  }

  private static void insert(Connection c, Dag dag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO airflow_dags (" + COLUMNS + ", created)"
        + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, dag.name());
      ps.setString(2, dag.filter().toString());
      ps.setString(3, dag.schedule());
      ps.setString(4, dag.pool());
      ps.setInt(5, dag.retries());
      UtcTimes.set(ps, 6, Instant.now());
      ps.executeUpdate();
    }
  }

  public Optional<Dag> find(String name) {
    return tx.run("reading DAG " + name, c -> find(c, name));
  }

  public Dag require(String name) {
    return find(name).orElseThrow(() -> unknown(name));
  }

  public List<Dag> list() {
    return tx.run("listing DAGs", c -> {
      List<Dag> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM airflow_dags ORDER BY dag_name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  public void remove(String name) {
    tx.run("removing DAG " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM airflow_dags WHERE dag_name = ?")) {
        ps.setString(1, name);
        if (ps.executeUpdate() == 0) {
          throw unknown(name);
        }
      }
      return null;
    });
  }

  private static FanoutException unknown(String name) {
    return new FanoutException("Unknown DAG '" + name + "'; 'fanout dag list' shows them.");
  }

  private static Optional<Dag> find(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM airflow_dags WHERE dag_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Dag read(ResultSet rs) throws SQLException {
    return new Dag(rs.getString(1), TableFilter.parse(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getInt(5));
  }
}
