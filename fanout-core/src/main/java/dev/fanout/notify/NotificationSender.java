package dev.fanout.notify;

import dev.fanout.events.Event;

import dev.fanout.replication.Backoff;
import dev.fanout.security.CredentialCipher;
import dev.fanout.util.DaemonThreads;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.Lease;
import dev.fanout.lease.LeaseStore;
import java.util.Optional;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: POSTs each event's JSON to its endpoint, oldest first, and deletes it once the
 * endpoint answers 2xx; otherwise the event stays, and its next try waits with exponential back-off and
 * jitter. Each endpoint is delivered on a thread of its own, so one that is down or slow never holds up
 * another, and its first failure ends its pass (the rest of its events wait too). A pass holds the
 * endpoint's lease (the same lease as every other kind of work), so two processes (a server and a
 * command) never post to one endpoint at once, and its events arrive in order.
 */
public final class NotificationSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
  /** Notification retries: from 2 s, doubling, up to 10 min between tries. */
  public static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(10));
  private static final int BATCH = 100;

  private final NotificationRepository repository;
  private final LeaseStore leases;
  private final CredentialCipher cipher;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final ExecutorService pool = Executors.newCachedThreadPool(DaemonThreads.named("fanout-notify"));
  private final Set<Long> busy = ConcurrentHashMap.newKeySet();
  private final Object signal = new Object();
  private volatile boolean stopped;
  private Thread loop;

  private NotificationSender(NotificationRepository repository, LeaseStore leases, CredentialCipher cipher,
      Duration connectTimeout, Duration requestTimeout) {
    this.repository = repository;
    this.leases = leases;
    this.cipher = cipher;
    this.requestTimeout = requestTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** For a server: patient timeouts, as nobody waits on it. */
  public static NotificationSender forServer(NotificationRepository repository, LeaseStore leases,
      CredentialCipher cipher) {
    return new NotificationSender(repository, leases, cipher, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  /** For the end of a command: short timeouts, as a person or a scheduler waits for it. */
  public static NotificationSender forCommand(NotificationRepository repository, LeaseStore leases,
      CredentialCipher cipher) {
    return new NotificationSender(repository, leases, cipher, Duration.ofSeconds(1), Duration.ofMillis(1500));
  }

  /** The server's loop: every {@code poll}, each endpoint not being delivered now gets a pass over its due events. */
  public void start(Duration poll) {
    loop = new Thread(() -> {
      while (!stopped) {
        try {
          for (NotificationEndpoint endpoint : repository.endpoints()) {
            if (busy.add(endpoint.id())) {
              pool.execute(() -> {
                try {
                  deliver(endpoint, true, null);
                } finally {
                  busy.remove(endpoint.id());
                }
              });
            }
          }
        } catch (RuntimeException e) {
          LOG.warn("Cannot read the notification outbox: {}", e.getMessage());
        }
        synchronized (signal) {
          try {
            if (!stopped) {
              signal.wait(Math.max(1, poll.toMillis()));
            }
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "fanout-notify-sender");
    loop.setDaemon(true);
    loop.start();
  }

  /**
   * A command's one best-effort attempt at every endpoint's undelivered events, back-off or not (a command
   * runs now and then, it does not hammer anyone), within {@code budget}. What is not delivered stays.
   */
  public void attemptOnce(Duration budget) {
    Instant deadline = Instant.now().plus(budget);
    List<Future<?>> passes = new ArrayList<>();
    for (NotificationEndpoint endpoint : repository.endpoints()) {
      passes.add(pool.submit(() -> deliver(endpoint, false, deadline)));
    }
    for (Future<?> pass : passes) {
      // a post ends by the deadline; the moment after it records the outcome in the outbox
      long left = Duration.between(Instant.now(), deadline).toMillis() + 1000;
      try {
        pass.get(Math.max(1, left), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // out of time or failed: the events stay in the outbox for the server or the next command
        LOG.debug("Notification delivery left for later: {}", e.toString());
      }
    }
  }

  private void deliver(NotificationEndpoint endpoint, boolean dueOnly, Instant deadline) {
    Optional<HeldLease> lease = HeldLease.tryAcquire(leases, Lease.notificationsOf(endpoint.id()),
        Duration.ofMillis(leaseMillis()), "The delivery of endpoint " + endpoint.id() + "'s notifications", null);
    if (lease.isEmpty()) {
      return; // another process is delivering this endpoint's events now
    }
    try (HeldLease held = lease.get()) {
      URI uri = URI.create(cipher.decrypt(endpoint.sealedUrl()));
      byte[] secret = endpoint.sealedSecret() == null ? null
          : cipher.decrypt(endpoint.sealedSecret()).getBytes(StandardCharsets.UTF_8);
      List<NotificationRepository.Pending> batch;
      do {
        batch = repository.undelivered(endpoint.id(), dueOnly, BATCH);
        for (NotificationRepository.Pending p : batch) {
          if (stopped || (deadline != null && Instant.now().isAfter(deadline))) {
            return;
          }
          if (held.lost()) {
            return;
          }
          String error = post(uri, secret, p, deadline);
          if (error == null) {
            repository.delivered(p.id());
          } else {
            Duration wait = BACKOFF.delayAfter(p.attempts() + 1);
            repository.failed(p.id(), error, System.currentTimeMillis() + wait.toMillis());
            LOG.info("Notification {} to endpoint {} ({}) failed (try {}), next try in {} s: {}", p.eventName(),
                endpoint.id(), endpoint.shownUrl(), p.attempts() + 1, wait.toSeconds(), error);
            return;
          }
        }
      } while (batch.size() == BATCH && dueOnly);
    } catch (RuntimeException e) {
      LOG.warn("Cannot deliver the notifications of endpoint {} ({}): {}", endpoint.id(), endpoint.shownUrl(),
          e.getMessage());
    }
  }

  /** Renewed while a pass runs; long enough that a pass that stalls for a post keeps it. */
  private long leaseMillis() {
    return requestTimeout.toMillis() * 3 + 10_000;
  }

  /** Posts the event; null when the endpoint took it (2xx), else why not (never the URL: it may hold a token). */
  private String post(URI uri, byte[] secret, NotificationRepository.Pending p, Instant deadline) {
    Duration timeout = requestTimeout;
    if (deadline != null) {
      Duration left = Duration.between(Instant.now(), deadline);
      timeout = left.compareTo(timeout) < 0 ? left : timeout;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      return "out of time";
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "fanout")
        .header("X-Fanout-Event", p.eventName())
        .POST(HttpRequest.BodyPublishers.ofString(p.payload(), StandardCharsets.UTF_8));
    if (secret != null) {
      request.header("X-Fanout-Signature", "sha256=" + hmac(secret, p.payload()));
    }
    try {
      HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
    } catch (IOException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String hmac(byte[] secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * Stops; a post under way ends within its timeout and records its outcome. Nothing is interrupted: a
   * thread interrupted inside an embedded (H2) database call can close the database's file.
   */
  @Override
  public void close() {
    stopped = true;
    synchronized (signal) {
      signal.notifyAll();
    }
    pool.shutdown();
    try {
      pool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
