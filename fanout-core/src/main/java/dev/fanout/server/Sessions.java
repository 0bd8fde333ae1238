package dev.fanout.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status page's logins, in this server's memory only: a browser holds a random session id in a
 * cookie, never the token. A session lasts at most 12 hours, and only while the token it was opened with
 * stays valid (the caller checks that on each request), so an expired token ends its sessions too. Each
 * session has its own CSRF value that every form of its pages carries.
 */
final class Sessions {
  static final Duration MAX_AGE = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code token} stays in memory so that each request can see whether it is still valid. */
  record Session(String id, String csrf, String token, Instant expires) {}

  private final Map<String, Session> open = new ConcurrentHashMap<>();

  Session open(String token, Instant now) {
    open.values().removeIf(s -> !s.expires().isAfter(now));
    Session s = new Session(random(), random(), token, now.plus(MAX_AGE));
    open.put(s.id(), s);
    return s;
  }

  Optional<Session> find(String id, Instant now) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = open.get(id);
    if (s == null || !s.expires().isAfter(now)) {
      close(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  void close(String id) {
    if (id != null) {
      open.remove(id);
    }
  }

  private static String random() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}
