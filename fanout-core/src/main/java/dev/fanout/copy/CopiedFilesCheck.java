package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import dev.fanout.stage.Crc32c;
import dev.fanout.util.DaemonThreads;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Whether the files of a copy made by someone else (a DistCp job) are at their targets exactly as they
 * were written: each target exists, has the recorded length, and its bytes, read back from the
 * destination, have the recorded CRC-32C (for a file without one: the CRC-32C of its source). Decided
 * by the files themselves, never by what the copying tool printed. A target whose CRC differs is told
 * apart by reading its source: a damaged source, or a destination that stored other bytes.
 */
final class CopiedFilesCheck {
  private static final int BUFFER_BYTES = 1 << 20;
  private final FileSystem from;
  private final FileSystem to;
  private final int threads;

  /** One file that is not in place, and why, in words for {@link CopyException#reason()}. */
  record Mismatch(FileCopy file, String reason) {}

  CopiedFilesCheck(FileSystem from, FileSystem to, int threads) {
    this.from = from;
    this.to = to;
    this.threads = Math.max(1, threads);
  }

  /** The files not in place, in the order given; empty when every one is. */
  List<Mismatch> check(List<FileCopy> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, files.size()),
        DaemonThreads.named("fanout-copy-check"));
    try {
      List<Future<Optional<Mismatch>>> checked = new ArrayList<>();
      for (FileCopy f : files) {
        checked.add(pool.submit(() -> check(f)));
      }
      List<Mismatch> bad = new ArrayList<>();
      for (Future<Optional<Mismatch>> c : checked) {
        c.get().ifPresent(bad::add);
      }
      return bad;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FanoutException("The check of a copy was interrupted; the next copy checks again.", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Optional<Mismatch> check(FileCopy f) {
    FileStatus target;
    try {
      target = to.getFileStatus(f.target());
    } catch (FileNotFoundException e) {
      return mismatch(f, "it is not at the destination after the copy");
    } catch (IOException e) {
      return mismatch(f, "cannot look at the copy at the destination (" + Failures.describe(e) + ")");
    }
    if (!target.isFile() || target.getLen() != f.length()) {
      return mismatch(f, "the copy at the destination has " + target.getLen() + " bytes, not " + f.length()
          + " as recorded when it was written");
    }
    String copied;
    try {
      copied = crc(to, f.target(), f.length());
    } catch (IOException e) {
      return mismatch(f, "cannot read the copy back from the destination (" + Failures.describe(e) + ")");
    }
    String expected = f.crc32c();
    if (expected != null && sameCrc(expected, copied)) {
      return Optional.empty();
    }
    String source;
    try {
      source = crc(from, f.source(), f.length());
    } catch (IOException e) {
      return expected == null ? mismatch(f, "cannot read the source file (" + Failures.describe(e) + ")")
          : mismatch(f, "the copy at the destination has CRC-32C " + copied + ", not " + expected
              + " as recorded when it was written");
    }
    if (expected == null) {
      return source.equals(copied) ? Optional.empty() : mismatch(f, "the destination returns different bytes"
          + " than the source (CRC-32C " + copied + " read back, " + source + " at the source)");
    }
    if (!sameCrc(expected, source)) {
      return mismatch(f, "the source file is damaged (its CRC-32C is " + source + ", not " + expected
          + " as recorded when it was written)");
    }
    return mismatch(f, "the destination returns different bytes than it was given (CRC-32C " + copied
        + " read back, " + expected + " as recorded when it was written)");
  }

  private static String crc(FileSystem fs, Path file, long length) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[(int) Math.min(BUFFER_BYTES, Math.max(8192, length))];
    try (InputStream in = fs.open(file, buffer.length)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.hex(crc.getValue());
  }

  private static Optional<Mismatch> mismatch(FileCopy f, String reason) {
    return Optional.of(new Mismatch(f, reason));
  }

  /** Compares two hex CRCs as numbers, so "0badf00d" and "badf00d" are the same. */
  private static boolean sameCrc(String expected, String actual) {
    try {
      return Long.parseUnsignedLong(expected.strip(), 16) == Long.parseUnsignedLong(actual, 16);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
