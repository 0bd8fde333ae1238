package dev.fanout.notify;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event an endpoint subscribed to into the outbox, as its JSON body: one insert on the work's
 * thread, never an HTTP call. Each endpoint's outbox is bounded: beyond {@link #LIMIT} undelivered events
 * the oldest are dropped, counted on the endpoint and logged, so an endpoint gone for good cannot fill
 * the metadata database.
 */
public final class NotificationOutbox implements FanoutListener {
  public static final int LIMIT = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(NotificationOutbox.class);
  /** How long a process trusts its list of endpoints: a server sees endpoints added after it started. */
  private static final long REFRESH_MILLIS = 5_000;

  private final NotificationRepository repository;
  private final int limit;
  private volatile List<NotificationEndpoint> endpoints;
  private volatile long readAt;

  public NotificationOutbox(NotificationRepository repository) {
    this(repository, LIMIT);
  }

  NotificationOutbox(NotificationRepository repository, int limit) {
    this.repository = repository;
    this.limit = limit;
    this.endpoints = read();
  }

  /** True when some endpoint is registered (as of the last look). */
  public boolean hasEndpoints() {
    return !endpoints().isEmpty();
  }

  @Override
  public void on(Event event) {
    if (event.phase() == Event.Phase.PROGRESS) {
      return;
    }
    String json = null;
    for (NotificationEndpoint endpoint : endpoints()) {
      if (!endpoint.hears(event.name())) {
        continue;
      }
      json = json == null ? EventJson.of(event) : json;
      try {
        int dropped = repository.enqueue(endpoint.id(), event.name(), json, limit);
        if (dropped > 0) {
          LOG.warn("The notification outbox of endpoint {} ({}) is full ({} undelivered events); dropped the {}"
              + " oldest", endpoint.id(), endpoint.shownUrl(), limit, dropped);
        }
      } catch (RuntimeException e) {
        LOG.warn("Could not queue {} for notification endpoint {}: {}", event.name(), endpoint.id(), e.getMessage());
      }
    }
  }

  private List<NotificationEndpoint> endpoints() {
    if (System.currentTimeMillis() - readAt > REFRESH_MILLIS) {
      synchronized (this) {
        if (System.currentTimeMillis() - readAt > REFRESH_MILLIS) {
          endpoints = read();
        }
      }
    }
    return endpoints;
  }

  private List<NotificationEndpoint> read() {
    try {
      return repository.endpoints();
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the notification endpoints: {}", e.getMessage());
      return endpoints == null ? List.of() : endpoints;
    } finally {
      readAt = System.currentTimeMillis();
    }
  }
}
