package dev.fanout.notify;

import java.time.Instant;
import java.util.Set;

/**
 * An HTTP endpoint that hears the events it subscribed to. Its URL (it may carry a token) and its signing
 * secret are stored encrypted with the instance key; {@code shownUrl} is the URL without credentials.
 */
public record NotificationEndpoint(long id, String sealedUrl, String shownUrl, Set<String> events,
    String sealedSecret, long dropped, Instant created) {

  public NotificationEndpoint {
    events = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(events));
  }

  public boolean hears(String eventName) {
    return events.contains(eventName);
  }
}
