package dev.fanout.server;

import dev.fanout.events.FanoutListener;
import dev.fanout.events.LogListener;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.mirror.TableMirror;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyJobRunner;
import dev.fanout.notify.NotificationOutbox;
import dev.fanout.notify.NotificationRepository;
import dev.fanout.notify.NotificationSender;
import dev.fanout.lease.LeaseOwners;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fanout server}: the copy workers, the notification sender and the HTTP API of one instance, over
 * its metadata database. Several servers may share one database; the queue's leases keep each job in one
 * server's hands, the outbox's each notification.
 */
public final class FanoutServer implements ServerStatus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FanoutServer.class);

  private final ServerSettings settings;
  private final String owner = LeaseOwners.newOwner();
  private final Instant startedAt = Instant.now();
  private final Remotes remotes;
  private final JobWorkers workers;
  private final NotificationSender notifications;
  private MirrorWatcher syncs;
  private final ApiServer api;
  private boolean closed;

  /** The server's composition root: every service is built here, once, and handed what it needs. */
  private FanoutServer(Instance instance, ServerSettings settings) {
    this.settings = settings;
    this.remotes = new Remotes(instance);
    CopyJobQueue queue = new CopyJobQueue(instance.transactions());
    CopyJobReports reports = new CopyJobReports(instance.transactions());
    ServerMetrics metrics = new ServerMetrics(reports, settings.flagAfterAttempts());
    NotificationRepository outbox = new NotificationRepository(instance.transactions());
    FanoutListener listener = FanoutListener.all(metrics, LogListener.forServer(), new NotificationOutbox(outbox))
        .forInstance(instance.name());
    // the workers report mirror jobs themselves (as MIRROR events), so the mirror they run reports nothing
    JobDispatch dispatch = new JobDispatch(instance, new CopyJobRunner(instance, remotes, reports),
        new TableMirror(instance, remotes, FanoutListener.NONE));
    this.workers = new JobWorkers(queue, instance.leases(), dispatch, instance.configuration(), settings, listener,
        owner);
    this.notifications = NotificationSender.forServer(outbox, instance.leases(), instance.cipher());
    this.api = new ApiServer(instance, this, metrics, settings.bind(), settings.port(), settings.tls());
  }

  /** Starts the API first, so a port already in use fails before any job is taken. */
  public static FanoutServer start(Instance instance, ServerSettings settings) {
    if (!instance.apiTokens().anyValid()) {
      throw new FanoutException("This instance has no valid API token, and the server's API needs one;"
          + " make one with 'fanout token create'.");
    }
    FanoutServer server = new FanoutServer(instance, settings);
    server.api.start();
    server.workers.start();
    server.notifications.start(settings.poll());
    server.syncs = new MirrorWatcher(instance, settings.poll(), server.workers::wake);
    LOG.info("Fanout server {} listening on {} with {} copy workers", server.owner, server.api.url(),
        settings.workers());
    return server;
  }

  public int port() {
    return api.port();
  }

  /** Where its API answers, such as {@code https://127.0.0.1:8421}. */
  public String url() {
    return api.url();
  }

  /** Whether only this host can reach it (it listens on a loopback address). */
  public boolean loopbackOnly() {
    return api.loopbackOnly();
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public Instant startedAt() {
    return startedAt;
  }

  @Override
  public int workers() {
    return settings.workers();
  }

  @Override
  public int running() {
    return workers.running();
  }

  @Override
  public int flagAfterAttempts() {
    return settings.flagAfterAttempts();
  }

  @Override
  public void wake() {
    workers.wake();
  }

  /** Graceful shutdown: no new jobs; running ones finish within the grace period or are given back. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Fanout server {} stopping", owner);
    if (syncs != null) {
      syncs.close();
    }
    workers.close();
    notifications.close();
    api.stop();
    remotes.close();
    LOG.info("Fanout server {} stopped", owner);
  }
}
