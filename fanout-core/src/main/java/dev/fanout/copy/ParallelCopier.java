package dev.fanout.copy;

import dev.fanout.FanoutException;
import dev.fanout.util.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The in-process copier: N parallel streams through the Hadoop FileSystem API. Each file is read once;
 * a CRC-32C of the bytes read is compared with the expected one (a damaged source fails the copy), a
 * second one is kept of the bytes written, and with {@code verifyReadback} the destination is read back
 * and compared too. The file is written under a temporary name and renamed into place only after the
 * checks pass; a file already under its final name with the expected length was put there that way,
 * and is skipped.
 */
public final class ParallelCopier implements Copier {
  private final int threads;
  private final int bufferBytes;
  private final Throttle throttle;
  private final boolean verifyReadback;
  private final LongConsumer progress;

  private ParallelCopier(Builder b) {
    this.threads = b.threads;
    this.bufferBytes = b.bufferBytes;
    this.throttle = b.bytesPerSecond > 0 ? new Throttle(b.bytesPerSecond) : null;
    this.verifyReadback = b.verifyReadback;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files) {
    long start = System.nanoTime();
    Map<Path, Long> present = prepareTargets(to, files);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())),
        DaemonThreads.named("fanout-copy"));
    try {
      List<Future<Long>> futures = new ArrayList<>();
      for (FileCopy f : files) {
        Long length = present.get(f.target());
        if (length == null || length != f.length()) {
          futures.add(pool.submit(() -> copyOne(from, to, f)));
        }
      }
      long bytes = 0;
      for (Future<Long> f : futures) {
        bytes += await(f);
      }
      return new CopyResult(futures.size(), files.size() - futures.size(), bytes,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Creates each target directory once and lists what is already there, in one call per directory
   * instead of one per file: on HDFS every call is a NameNode round trip.
   */
  private static Map<Path, Long> prepareTargets(FileSystem to, List<FileCopy> files) {
    Map<Path, Long> present = new HashMap<>();
    for (Path dir : files.stream().map(f -> f.target().getParent()).distinct().toList()) {
      try {
        to.mkdirs(dir);
        for (FileStatus st : to.listStatus(dir)) {
          if (st.isFile()) {
            present.put(Path.getPathWithoutSchemeAndAuthority(st.getPath()), st.getLen());
          }
        }
      } catch (IOException e) {
        throw new FanoutException("Cannot prepare " + to.makeQualified(dir) + " for the copy: " + e.getMessage(), e);
      }
    }
    Map<Path, Long> byTarget = new HashMap<>();
    for (FileCopy f : files) {
      Long length = present.get(Path.getPathWithoutSchemeAndAuthority(f.target()));
      if (length != null) {
        byTarget.put(f.target(), length);
      }
    }
    return byTarget;
  }

  private static long await(Future<Long> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FanoutException("The copy was interrupted.", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new FanoutException("Copy failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Copies one file and returns the bytes copied. */
  private long copyOne(FileSystem from, FileSystem to, FileCopy f) {
    Path tmp = new Path(f.target().getParent(), "." + f.target().getName() + ".fanout-tmp");
    try {
      long written = stream(from, to, f, tmp);
      if (!to.rename(tmp, f.target())) {
        throw new IOException("rename of " + tmp + " to " + f.target() + " failed");
      }
      return written;
    } catch (IOException | InterruptedException e) {
      deleteQuietly(to, tmp);
      if (e instanceof InterruptedException || e instanceof InterruptedIOException) {
        Thread.currentThread().interrupt();
      }
      String why = e instanceof org.apache.hadoop.fs.ChecksumException
          ? "the source file is damaged (" + e.getMessage() + ")" : e.getMessage();
      throw new FanoutException("Copying " + f.source() + " to " + to.makeQualified(f.target()) + " failed: " + why, e);
    } catch (RuntimeException e) {
      deleteQuietly(to, tmp);
      throw e;
    }
  }

  private long stream(FileSystem from, FileSystem to, FileCopy f, Path tmp) throws IOException, InterruptedException {
    CRC32C read = new CRC32C();
    CRC32C written = new CRC32C();
    byte[] buffer = new byte[bufferBytes];
    long total = 0;
    try (InputStream in = from.open(f.source(), bufferBytes); OutputStream out = to.create(tmp, true, bufferBytes)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (throttle != null) {
          throttle.acquire(n);
        }
        read.update(buffer, 0, n);
        out.write(buffer, 0, n);
        written.update(buffer, 0, n);
        total += n;
        if (progress != null) {
          progress.accept(n);
        }
      }
    }
    if (total != f.length()) {
      throw new IOException("read " + total + " bytes, expected " + f.length() + " (the source changed or is damaged)");
    }
    String readCrc = hex(read.getValue());
    if (f.crc32c() != null && !f.crc32c().equalsIgnoreCase(readCrc)) {
      throw new IOException("its checksum is " + readCrc + ", not " + f.crc32c() + " as written at staging: the source file is damaged");
    }
    if (verifyReadback) {
      String back = checksum(to, tmp, buffer);
      if (!back.equals(hex(written.getValue()))) {
        throw new IOException("the copy reads back with checksum " + back + ", not " + hex(written.getValue()));
      }
    }
    return total;
  }

  static String checksum(FileSystem fs, Path path, byte[] buffer) throws IOException {
    CRC32C crc = new CRC32C();
    try (InputStream in = fs.open(path, buffer.length)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return hex(crc.getValue());
  }

  static String hex(long crc) {
    return String.format("%08x", crc);
  }

  private static void deleteQuietly(FileSystem fs, Path path) {
    try {
      fs.delete(path, false);
    } catch (IOException ignored) {
      // best effort: a leftover temporary file is overwritten by the next attempt
    }
  }

  public static final class Builder {
    // more streams than cores only help when the far side is slow; a remote copy can ask for more
    private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int bufferBytes = 1 << 20;
    private long bytesPerSecond;
    private boolean verifyReadback;
    private LongConsumer progress;

    public Builder threads(int n) {
      if (n < 1) {
        throw new FanoutException("Copy threads must be at least 1.");
      }
      threads = n;
      return this;
    }

    public Builder bufferBytes(int n) {
      bufferBytes = n;
      return this;
    }

    /** A limit on the bytes per second of all streams together; 0 for none. */
    public Builder bandwidth(long bytesPerSecondLimit) {
      if (bytesPerSecondLimit < 0) {
        throw new FanoutException("A bandwidth limit cannot be negative.");
      }
      bytesPerSecond = bytesPerSecondLimit;
      return this;
    }

    public Builder verifyReadback(boolean v) {
      verifyReadback = v;
      return this;
    }

    public Builder progress(LongConsumer bytesCopied) {
      progress = bytesCopied;
      return this;
    }

    public ParallelCopier build() {
      return new ParallelCopier(this);
    }
  }
}
