package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import dev.fanout.util.DaemonThreads;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.hadoop.fs.FileSystem;

/**
 * The in-process {@link Copier}: parallel streams through the Hadoop FileSystem API, one file per stream.
 * Each file is read once, written under {@code .<name>.fanout-tmp} in its target directory, checked
 * (length, CRC-32C against the recorded one, and with {@link Builder#verifyReadback} the destination read
 * back), and renamed into place. On S3A, where a rename is a copy, the object still appears whole, since
 * S3A writes an object only when its stream is closed.
 *
 * <p>The first failure calls off the other streams at once; the call returns only after they have
 * stopped and the temporary files of every file not in place are removed, so nothing half-written is
 * left behind (except when the destination itself has become unreachable; then the next attempt
 * overwrites the leftovers).
 */
public final class ParallelCopier implements Copier {
  private static final long STOP_WAIT_SECONDS = 30;
  private final int threads;
  private final int bufferBytes;
  private final Throttle throttle;
  private final boolean verifyReadback;
  private final LongConsumer progress;

  private ParallelCopier(Builder b) {
    this.threads = b.threads;
    this.bufferBytes = b.bufferBytes;
    this.throttle = b.shared != null ? b.shared : b.bytesPerSecond > 0 ? new Throttle(b.bytesPerSecond) : null;
    this.verifyReadback = b.verifyReadback;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files) {
    long start = System.nanoTime();
    TargetListing listing = TargetListing.prepare(to, files);
    List<FileCopy> missing = files.stream().filter(f -> !listing.inPlace(f)).toList();
    VerifiedFileCopier copier = new VerifiedFileCopier(from, to, bufferBytes, throttle, verifyReadback, progress);
    long bytes = missing.isEmpty() ? 0 : copyAll(copier, to, missing, listing);
    return new CopyResult(missing.size(), files.size() - missing.size(), bytes,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private long copyAll(VerifiedFileCopier copier, FileSystem to, List<FileCopy> files, TargetListing listing) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()),
        DaemonThreads.named("fanout-copy"));
    CompletionService<Long> completed = new ExecutorCompletionService<>(pool);
    Map<Future<Long>, FileCopy> unfinished = new IdentityHashMap<>();
    try {
      for (FileCopy f : files) {
        unfinished.put(completed.submit(() -> copier.copy(f, listing.occupiedByAnother(f))), f);
      }
      long bytes = 0;
      for (int i = 0; i < files.size(); i++) {
        Future<Long> done = completed.take();
        try {
          bytes += done.get();
        } catch (ExecutionException e) {
          FileCopy failed = unfinished.get(done);
          callOff(copier, pool, to, unfinished.values());
          throw asCopyFailure(failed, to, e.getCause());
        }
        unfinished.remove(done);
      }
      return bytes;
    } catch (InterruptedException e) {
      callOff(copier, pool, to, unfinished.values());
      Thread.currentThread().interrupt();
      throw new FanoutException("The copy was interrupted; the files already in place stay, and the next copy"
          + " copies only what is missing.", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Stops every stream, waits for them to let go, and removes their temporary files. */
  private static void callOff(VerifiedFileCopier copier, ExecutorService pool, FileSystem to,
      Iterable<FileCopy> unfinished) {
    copier.callOff();
    pool.shutdownNow();
    try {
      pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (FileCopy f : unfinished) {
      Failures.deleteQuietly(to, f.temporaryTarget());
    }
  }

  private static RuntimeException asCopyFailure(FileCopy f, FileSystem to, Throwable cause) {
    if (cause instanceof RuntimeException re) {
      return re;
    }
    return new CopyException(f.source(), to.makeQualified(f.target()), Failures.describe(cause), cause);
  }

  public static final class Builder {
    // more streams than cores help only when the far side is slow (remote HDFS, S3): ask for more there
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int bufferBytes = 1 << 20;
    private long bytesPerSecond;
    private Throttle shared;
    private boolean verifyReadback;
    private LongConsumer progress;

    /** Parallel streams, one file each; default: the number of cores, at least 2. */
    public Builder threads(int n) {
      if (n < 1) {
        throw new FanoutException("Copy threads must be at least 1, not " + n + ".");
      }
      threads = n;
      return this;
    }

    /** The read and write buffer of each stream; default 1 MiB (smaller for smaller files). */
    public Builder bufferBytes(int n) {
      if (n < 1) {
        throw new FanoutException("A copy buffer must have at least 1 byte, not " + n + ".");
      }
      bufferBytes = n;
      return this;
    }

    /**
     * A limit on the bytes per second of all streams of this copier together, over all its calls;
     * 0 (the default) for none.
     */
    public Builder bandwidth(long bytesPerSecondLimit) {
      if (bytesPerSecondLimit < 0) {
        throw new FanoutException("A bandwidth limit cannot be negative: " + bytesPerSecondLimit + ".");
      }
      bytesPerSecond = bytesPerSecondLimit;
      return this;
    }

    /**
     * The limit of a destination, shared with every other copier of this process that copies there
     * ({@link DestinationBandwidth}); 0 for none.
     */
    public Builder destinationBandwidth(String destination, long bytesPerSecondLimit) {
      bandwidth(bytesPerSecondLimit);
      shared = DestinationBandwidth.of(destination, bytesPerSecondLimit);
      return this;
    }

    /**
     * Reads every copy back from the destination before it is renamed into place and compares its
     * CRC-32C with what was written: catches a destination that stores other bytes than it was given,
     * at the cost of reading everything twice. Off by default, since HDFS checksums its blocks itself.
     */
    public Builder verifyReadback(boolean v) {
      verifyReadback = v;
      return this;
    }

    /**
     * Told the number of bytes after every chunk written, from the copy threads at once (so it must be
     * thread-safe). The bytes of a file that fails later are not taken back.
     */
    public Builder progress(LongConsumer bytesCopied) {
      progress = bytesCopied;
      return this;
    }

    public ParallelCopier build() {
      return new ParallelCopier(this);
    }
  }
}
