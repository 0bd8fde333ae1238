package dev.fanout.notify;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.UtcTimes;
import dev.fanout.metadata.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code notification_endpoints} and {@code notification_outbox}: who hears which events, and what is still to send. */
public final class NotificationRepository {
  private final Transactions tx;

  public NotificationRepository(Transactions tx) {
    this.tx = tx;
  }

  /** An event waiting in the outbox for its endpoint. */
  public record Pending(long id, long endpointId, String eventName, String payload, int attempts) {}

  public long addEndpoint(String sealedUrl, String shownUrl, Set<String> events, String sealedSecret) {
    return tx.run("adding a notification endpoint", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_endpoints (url_sealed, url_shown,"
          + " events, secret_sealed, dropped, created) VALUES (?, ?, ?, ?, 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, sealedUrl);
        ps.setString(2, shownUrl);
        ps.setString(3, String.join(",", events));
        ps.setString(4, sealedSecret);
        UtcTimes.set(ps, 5, Instant.now());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  public List<NotificationEndpoint> endpoints() {
    return tx.run("reading notification endpoints", c -> {
      List<NotificationEndpoint> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT endpoint_id, url_sealed, url_shown, events, secret_sealed,"
          + " dropped, created FROM notification_endpoints ORDER BY endpoint_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new NotificationEndpoint(rs.getLong(1), rs.getString(2), rs.getString(3),
              new LinkedHashSet<>(List.of(rs.getString(4).split(","))), rs.getString(5), rs.getLong(6),
              UtcTimes.get(rs, 7)));
        }
      }
      return out;
    });
  }

  /** Removes the endpoint and every event still waiting for it. */
  public void removeEndpoint(long id) {
    tx.run("removing notification endpoint " + id, c -> {
      try (PreparedStatement outbox = c.prepareStatement("DELETE FROM notification_outbox WHERE endpoint_id = ?");
          PreparedStatement endpoint = c.prepareStatement("DELETE FROM notification_endpoints WHERE endpoint_id = ?")) {
        outbox.setLong(1, id);
        outbox.executeUpdate();
        endpoint.setLong(1, id);
        if (endpoint.executeUpdate() == 0) {
          throw new FanoutException("There is no notification endpoint " + id + "; 'fanout notify list' shows them.");
        }
      }
      return null;
    });
  }

  /**
   * Queues one event for one endpoint; beyond {@code limit} undelivered events of that endpoint, drops the
   * oldest and counts them on the endpoint. Returns how many were dropped.
   */
  public int enqueue(long endpointId, String eventName, String payload, int limit) {
    return tx.run("queueing a notification", c -> {
      long now = System.currentTimeMillis();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_outbox (endpoint_id, event_name,"
          + " payload, created, attempts, next_attempt_ms) VALUES (?, ?, ?, ?, 0, ?)")) {
        ps.setLong(1, endpointId);
        ps.setString(2, eventName);
        ps.setString(3, payload);
        UtcTimes.set(ps, 4, Instant.ofEpochMilli(now));
        ps.setLong(5, now);
        ps.executeUpdate();
      }
      long excess = pending(c, endpointId) - limit;
      return excess > 0 ? dropOldest(c, endpointId, (int) excess) : 0;
    });
  }

  private static int dropOldest(Connection c, long endpointId, int count) throws SQLException {
    List<Long> oldest = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT outbox_id FROM notification_outbox WHERE endpoint_id = ? ORDER BY outbox_id")) {
      ps.setMaxRows(count);
      ps.setLong(1, endpointId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          oldest.add(rs.getLong(1));
        }
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM notification_outbox WHERE outbox_id = ?");
        PreparedStatement counted = c.prepareStatement(
            "UPDATE notification_endpoints SET dropped = dropped + ? WHERE endpoint_id = ?")) {
      for (long id : oldest) {
        del.setLong(1, id);
        del.addBatch();
      }
      del.executeBatch();
      counted.setLong(1, oldest.size());
      counted.setLong(2, endpointId);
      counted.executeUpdate();
    }
    return oldest.size();
  }

  /** Undelivered events of the endpoint. */
  public long pending(long endpointId) {
    return tx.run("counting notifications", c -> pending(c, endpointId));
  }

  private static long pending(Connection c, long endpointId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM notification_outbox WHERE endpoint_id = ?")) {
      ps.setLong(1, endpointId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The endpoint's oldest undelivered events; with {@code dueOnly}, only those whose back-off has passed.
   * Only the holder of the endpoint's lease reads them to deliver them.
   */
  public List<Pending> undelivered(long endpointId, boolean dueOnly, int limit) {
    return tx.run("reading the notification outbox", c -> {
      long now = System.currentTimeMillis();
      List<Pending> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT outbox_id, endpoint_id, event_name, payload, attempts"
          + " FROM notification_outbox WHERE endpoint_id = ? AND next_attempt_ms <= ? ORDER BY outbox_id")) {
        ps.setMaxRows(limit);
        ps.setLong(1, endpointId);
        ps.setLong(2, dueOnly ? now : Long.MAX_VALUE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Pending(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
          }
        }
      }
      return out;
    });
  }

  /** The endpoint answered 2xx: the event is gone from the outbox. */
  public void delivered(long outboxId) {
    tx.run("removing a delivered notification", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_outbox WHERE outbox_id = ?")) {
        ps.setLong(1, outboxId);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** The delivery failed: the event stays, for another try at {@code nextAttemptMillis}. */
  public void failed(long outboxId, String error, long nextAttemptMillis) {
    tx.run("recording a failed notification", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE notification_outbox SET attempts = attempts + 1,"
          + " last_error = ?, next_attempt_ms = ? WHERE outbox_id = ?")) {
        ps.setString(1, error.length() > 1000 ? error.substring(0, 1000) : error);
        ps.setLong(2, nextAttemptMillis);
        ps.setLong(3, outboxId);
        ps.executeUpdate();
      }
      return null;
    });
  }
}
