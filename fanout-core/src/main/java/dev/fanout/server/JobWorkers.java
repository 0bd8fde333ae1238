package dev.fanout.server;

import dev.fanout.failure.FanoutException;
import dev.fanout.failure.LeaseLostException;
import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.Lease;
import dev.fanout.lease.LeaseStore;
import dev.fanout.metadata.ConfigurationRepository;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobQueue;
import dev.fanout.replication.RemoteDelivery;
import dev.fanout.util.DaemonThreads;
import dev.fanout.lease.LeaseOwners;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's copy workers: one dispatcher takes due jobs from the queue (under a lease) as long as a
 * worker is free, and each job runs on a worker thread that renews its lease while it copies. The
 * dispatcher looks again at once when a job ends or someone calls {@link #wake}, otherwise every poll
 * interval. Closing stops taking jobs, lets running ones finish within the grace period, then stops
 * them and gives their leases back.
 */
final class JobWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobWorkers.class);

  private final ConfigurationRepository configuration;
  private final ServerSettings settings;
  private final FanoutListener listener;
  private final String owner;
  private final CopyJobQueue jobs;
  private final JobDispatch runner;
  private final Semaphore free;
  private final ExecutorService pool;
  private final LeaseStore leases;
  private final Map<Long, Thread> running = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private final Thread dispatcher;
  private volatile boolean stopping;
  private boolean woken;

  JobWorkers(CopyJobQueue jobs, LeaseStore leases, JobDispatch runner, ConfigurationRepository configuration,
      ServerSettings settings, FanoutListener listener, String owner) {
    this.leases = leases;
    this.configuration = configuration;
    this.settings = settings;
    this.listener = listener;
    this.owner = owner;
    this.jobs = jobs;
    this.runner = runner;
    this.free = new Semaphore(settings.workers());
    this.pool = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.named("fanout-copy-worker"));
    this.dispatcher = new Thread(this::dispatch, "fanout-copy-dispatcher");
    this.dispatcher.setDaemon(true);
  }

  void start() {
    dispatcher.start();
  }

  int running() {
    return running.size();
  }

  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void dispatch() {
    while (!stopping) {
      try {
        if (configuration.copiesPaused()) {
          pause(settings.poll());
          continue;
        }
        free.acquire();
        Optional<CopyJobQueue.Claimed> job;
        try {
          job = jobs.claim(owner, settings.lease(), LeaseOwners::diedOnThisHost);
        } catch (RuntimeException e) {
          free.release();
          throw e;
        }
        if (job.isEmpty()) {
          free.release();
          pause(settings.poll());
        } else {
          pool.execute(() -> execute(job.get().job(), job.get().lease()));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the metadata database is away: keep the server up and look again later
        LOG.warn("Cannot read the copy queue: {}", e.getMessage());
        pause(settings.poll().multipliedBy(4));
      }
    }
  }

  private void pause(Duration d) {
    synchronized (signal) {
      if (!woken && !stopping) {
        try {
          signal.wait(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      woken = false;
    }
  }

  private void execute(CopyJob job, Lease lease) {
    Thread worker = Thread.currentThread();
    running.put(job.id(), worker);
    HeldLease renewal = HeldLease.hold(leases, lease, settings.lease(), "Copy job " + job.id(), () -> {
      LOG.warn("Copy job {}: this server lost its lease; stopping its copy", job.id());
      worker.interrupt();
    });
    boolean mirror = job.kind() == CopyJob.Kind.MIRROR;
    Event started = Event.of(mirror ? Event.Kind.MIRROR : Event.Kind.COPY, Event.Phase.STARTED)
        .withTable(job.table()).withDestination(job.destination()).withImportId(mirror ? null : job.importId());
    listener.on(started.withMessage("Copy job " + job.id() + " (" + job.describe() + " to " + job.destination()
        + ") started, try " + job.attempts()));
    try {
      RemoteDelivery.Delivered done = runner.run(job, lease);
      renewal.stopRenewing();
      if (jobs.complete(job.id(), owner, done.bytesCopied(), done.copyFinished())) {
        // the job is recorded with the import, just before its load here: the lag of the copy behind the load
        double lag = Duration.between(job.created(), Instant.now()).toMillis() / 1000.0;
        listener.on(started.withPhase(Event.Phase.DONE).withBytes(done.bytesCopied()).withLagSeconds(lag)
            .withMessage("Copy job " + job.id() + " (" + job.describe() + " to " + job.destination() + ") done: "
                + done.bytesCopied() + " bytes copied, " + done.filesSkipped() + " files already there"));
        runner.cleanUp(job);
      } else {
        listener.on(started.withPhase(Event.Phase.FAILED).withError("this server lost its lease")
            .withMessage("Copy job " + job.id() + " finished after this server lost its lease; its new holder"
                + " completes it"));
      }
    } catch (RuntimeException e) {
      renewal.stopRenewing();
      // an interrupt (lost lease, shutdown) stopped the copy; the outcome is still recorded in the queue
      Thread.interrupted();
      try {
        failed(job, renewal.explain(e), started);
      } catch (RuntimeException recording) {
        // the database is away: the job stays RUNNING and is taken over when its lease runs out
        LOG.warn("Copy job {}: cannot record its failure: {}", job.id(), recording.getMessage());
      }
    } finally {
      running.remove(job.id());
      Thread.interrupted();
      free.release();
      wake();
    }
  }

  private void failed(CopyJob job, RuntimeException e, Event started) {
    Event failed = started.failed(e);
    if (stopping) {
      if (jobs.release(job.id(), owner)) {
        listener.on(failed.withMessage("Copy job " + job.id() + " given back at shutdown; it resumes where it stopped"));
      } else {
        listener.on(failed.withMessage("Copy job " + job.id() + " stopped at shutdown"));
      }
      return;
    }
    String what = "Copy job " + job.id() + " (" + job.describe() + " to " + job.destination() + ") ";
    if (e instanceof LeaseLostException) {
      listener.on(failed.withMessage(what + "stopped: " + failed.error() + " Its new holder goes on with it."));
      return;
    }
    if (!FanoutException.isRetryable(e)) {
      // no retry can mend it: flagged for a person at once ('fanout jobs retry' or 'cancel')
      if (jobs.flag(job.id(), owner, failed.error())) {
        listener.on(failed.withMessage(what + "FLAGGED, not retried until a person does: " + failed.error()));
      }
      return;
    }
    Duration delay = settings.backoff().delayAfter(job.attempts());
    if (!jobs.fail(job.id(), owner, failed.error(), System.currentTimeMillis() + delay.toMillis())) {
      listener.on(failed.withMessage("Copy job " + job.id() + " failed after this server lost its lease"));
      return;
    }
    listener.on(failed.withMessage(job.attempts() >= settings.flagAfterAttempts()
        ? what + "FLAGGED: failed " + job.attempts() + " times, retrying in " + delay.toSeconds() + " s"
        : what + "failed (try " + job.attempts() + "), retrying in " + delay.toSeconds() + " s"));
  }

  /** Stops taking jobs; waits up to the grace period for running ones, then stops them and releases them. */
  @Override
  public void close() {
    stopping = true;
    dispatcher.interrupt();
    wake();
    pool.shutdown();
    try {
      Instant deadline = Instant.now().plus(settings.grace());
      if (!pool.awaitTermination(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
          TimeUnit.MILLISECONDS)) {
        LOG.info("Stopping {} running copy job(s) after the {} s grace period", running.size(),
            settings.grace().toSeconds());
        running.values().forEach(Thread::interrupt);
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
    }
  }
}
