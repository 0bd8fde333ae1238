package dev.fanout.cli;

import dev.fanout.util.DaemonThreads;
import dev.fanout.imports.ImportListener;
import dev.fanout.load.LoadResult;
import dev.fanout.metadata.TableName;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of an import: a line rewritten every second on a terminal, a plain line every ten seconds
 * otherwise (logs, schedulers), both with rows, rate and elapsed time.
 */
final class ConsoleProgress implements ImportListener, AutoCloseable {
  private final PrintStream out;
  private final boolean terminal;
  private final AtomicLong rows = new AtomicLong();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fanout-progress"));
  private volatile long started;
  private volatile long expected;
  private volatile TableName table;
  private ScheduledFuture<?> tick;

  ConsoleProgress(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  static ConsoleProgress forThisProcess() {
    return new ConsoleProgress(System.out, System.console() != null);
  }

  @Override
  public synchronized void stageStarted(TableName table, int sessions, long expectedRows) {
    this.table = table;
    this.expected = expectedRows;
    this.started = System.nanoTime();
    rows.set(0);
    out.println(table + ": reading " + expectedRows + " rows in " + sessions + " session(s)");
    long every = terminal ? 1 : 10;
    tick = ticker.scheduleAtFixedRate(this::print, every, every, TimeUnit.SECONDS);
  }

  @Override
  public void rowsStaged(long delta) {
    rows.addAndGet(delta);
  }

  @Override
  public synchronized void stageFinished(TableName table, long stagedRows, long bytes) {
    if (tick != null) {
      tick.cancel(false);
    }
    double s = elapsedSeconds();
    out.printf("%s%s: staged %d rows (%.1f MB) in %.1f s, %.0f rows/s%n", terminal ? "\r" : "", table, stagedRows,
        bytes / 1e6, s, stagedRows / Math.max(s, 0.001));
  }

  @Override
  public void loaded(TableName table, LoadResult result) {
    out.printf("%s: loaded %d rows in one commit (snapshot %d); the table has %d rows%n", table, result.loadedRows(),
        result.snapshotId(), result.lakeRows());
  }

  @Override
  public void message(String text) {
    out.println(text);
  }

  private void print() {
    long n = rows.get();
    double s = elapsedSeconds();
    String pct = expected > 0 ? String.format(" (%d%%)", Math.min(100, n * 100 / expected)) : "";
    String line = String.format("%s: %d/%d rows%s, %.0f rows/s, %.0f s elapsed", table, n, expected, pct,
        n / Math.max(s, 0.001), s);
    if (terminal) {
      out.print("\r" + line);
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
