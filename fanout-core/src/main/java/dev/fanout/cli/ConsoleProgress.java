package dev.fanout.cli;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.util.DaemonThreads;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a person at the command sees: the lines the work wrote for people (an event's message), and the
 * progress of the work under way (rows staged, bytes copied or synced) on the one ticker: a line
 * rewritten every second on a terminal, a plain line every ten seconds otherwise (logs, schedulers).
 */
final class ConsoleProgress implements FanoutListener, AutoCloseable {
  private final PrintStream out;
  private final boolean terminal;
  private final AtomicLong done = new AtomicLong();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fanout-progress"));
  private volatile Event current;
  private volatile long started;
  private ScheduledFuture<?> tick;
  /** A terminal's progress line is open (printed without its newline). */
  private boolean lineOpen;

  ConsoleProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ConsoleProgress forThisProcess() {
    return new ConsoleProgress(System.out, System.console() != null);
  }

  @Override
  public void on(Event e) {
    boolean ticked = ticked(e.kind());
    switch (e.phase()) {
      case PROGRESS -> {
        if (ticked) {
          done.addAndGet(e.kind() == Event.Kind.STAGE ? e.rows() : e.bytes());
        }
      }
      case STARTED -> {
        print(e);
        if (ticked) {
          begin(e);
        }
      }
      case DONE, FAILED -> {
        if (ticked) {
          end(e);
        } else {
          print(e);
        }
      }
      case NOTE -> print(e);
    }
  }

  /** The work whose progress the ticker shows. */
  private static boolean ticked(Event.Kind kind) {
    return kind == Event.Kind.STAGE || kind == Event.Kind.COPY || kind == Event.Kind.MIRROR;
  }

  private void print(Event e) {
    if (e.message() != null) {
      out.println(e.message());
    }
  }

  private synchronized void begin(Event e) {
    stopTicker();
    current = e;
    done.set(0);
    started = System.nanoTime();
    long every = terminal ? 1 : 10;
    tick = ticker.scheduleAtFixedRate(this::printProgress, every, every, TimeUnit.SECONDS);
  }

  private synchronized void end(Event e) {
    stopTicker();
    current = null;
    double s = elapsedSeconds();
    if (e.kind() == Event.Kind.STAGE && e.phase() == Event.Phase.DONE) {
      out.printf(Locale.ROOT, "%s%s: staged %d rows (%.1f MB) in %.1f s, %.0f rows/s%n", terminal ? "\r" : "",
          e.table(), e.rows(), e.bytes() / 1e6, s, e.rows() / Math.max(s, 0.001));
    } else {
      if (lineOpen) {
        out.println();
      }
      print(e);
    }
    lineOpen = false;
  }

  private void stopTicker() {
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }

  private synchronized void printProgress() {
    Event e = current;
    if (e == null) {
      return;
    }
    long n = done.get();
    double s = elapsedSeconds();
    String line;
    if (e.kind() == Event.Kind.STAGE) {
      long expected = e.rows();
      String pct = expected > 0 ? String.format(Locale.ROOT, " (%d%%)", Math.min(100, n * 100 / expected)) : "";
      line = String.format(Locale.ROOT, "%s: %d/%d rows%s, %.0f rows/s, %.0f s elapsed", e.table(), n, expected, pct,
          n / Math.max(s, 0.001), s);
    } else {
      line = String.format(Locale.ROOT, "%s %s to %s: %.1f MB copied, %.1f MB/s, %.0f s elapsed",
          e.kind() == Event.Kind.MIRROR ? "syncing" : "copying", e.table(), e.destination(), n / 1e6,
          n / 1e6 / Math.max(s, 0.001), s);
    }
    if (terminal) {
      out.print("\r" + line);
      lineOpen = true;
    } else {
      out.println(line);
    }
    out.flush();
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
