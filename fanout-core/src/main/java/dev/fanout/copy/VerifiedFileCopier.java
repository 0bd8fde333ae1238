package dev.fanout.copy;

import dev.fanout.stage.Crc32c;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Copies one file: streams it to its temporary name, checks it, and only then renames it into place.
 * The CRC-32C is computed over the bytes as they are handed to the destination (the very bytes read, in
 * the same buffer); it must equal the CRC recorded at the source, and, with read-back, the CRC of what the
 * destination returns when the temporary file is read again. A failure leaves the temporary file for the
 * caller to remove and throws {@link CopyException}.
 */
final class VerifiedFileCopier {
  private final FileSystem from;
  private final FileSystem to;
  private final int bufferBytes;
  private final Throttle throttle;
  private final boolean verifyReadback;
  private final LongConsumer progress;
  private volatile boolean calledOff;

  VerifiedFileCopier(FileSystem from, FileSystem to, int bufferBytes, Throttle throttle, boolean verifyReadback,
      LongConsumer progress) {
    this.from = from;
    this.to = to;
    this.bufferBytes = bufferBytes;
    this.throttle = throttle;
    this.verifyReadback = verifyReadback;
    this.progress = progress;
  }

  /**
   * Makes every stream of this copier stop at its next chunk (and before its rename) with an
   * {@link InterruptedException}. Interrupting the threads is not enough: some Hadoop code swallows
   * interrupts.
   */
  void callOff() {
    calledOff = true;
  }

  /**
   * @param replace the target exists (with another length) and must be removed before the rename, since
   *     HDFS and S3A do not rename over an existing file
   * @return the bytes copied
   */
  long copy(FileCopy f, boolean replace) throws InterruptedException {
    Path tmp = f.temporaryTarget();
    // small files get small buffers: 1,000 files of 1 KB should not allocate 1 GB
    byte[] buffer = new byte[(int) Math.min(bufferBytes, Math.max(8192, f.length()))];
    StreamResult copied = stream(f, tmp, buffer);
    if (copied.length() != f.length()) {
      throw failure(f, "the source file has " + copied.length() + " bytes, not " + f.length()
          + " as recorded when it was written (it was changed or damaged)", null);
    }
    if (f.crc32c() != null && !sameCrc(f.crc32c(), copied.crc())) {
      throw failure(f, "the source file is damaged (its CRC-32C is " + copied.crc() + ", not " + f.crc32c()
          + " as recorded when it was written)", null);
    }
    if (verifyReadback) {
      String back = readBack(f, tmp, buffer);
      if (!back.equals(copied.crc())) {
        throw failure(f, "the destination returns different bytes than it was given (CRC-32C " + back
            + " read back, " + copied.crc() + " written)", null);
      }
    }
    checkCalledOff(f);
    try {
      if (replace) {
        to.delete(f.target(), false);
      }
      if (!to.rename(tmp, f.target())) {
        throw new IOException("rename returned false");
      }
    } catch (IOException e) {
      throw failure(f, "cannot rename the verified copy " + tmp.getName() + " into place (" + Failures.describe(e)
          + ")", e);
    }
    return copied.length();
  }

  private record StreamResult(long length, String crc) {}

  private StreamResult stream(FileCopy f, Path tmp, byte[] buffer) throws InterruptedException {
    CRC32C crc = new CRC32C();
    long total = 0;
    String step = "open the source file";
    try (InputStream in = from.open(f.source(), buffer.length)) {
      step = "create " + tmp.getName() + " at the destination";
      try (OutputStream out = to.create(tmp, true, buffer.length)) {
        while (true) {
          step = "read the source file";
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          checkCalledOff(f);
          if (throttle != null) {
            throttle.acquire(n, () -> calledOff);
          }
          step = "write to the destination";
          out.write(buffer, 0, n);
          crc.update(buffer, 0, n);
          total += n;
          if (progress != null) {
            progress.accept(n);
          }
        }
        step = "finish writing " + tmp.getName() + " at the destination";
      }
    } catch (ChecksumException e) {
      throw failure(f, "the source file is damaged (" + Failures.describe(e) + ")", e);
    } catch (IOException e) {
      if (calledOff || Thread.currentThread().isInterrupted()) {  // called off: not this file's fault
        throw (InterruptedException) new InterruptedException("copy of " + f.source() + " called off").initCause(e);
      }
      throw failure(f, "cannot " + step + " (" + Failures.describe(e) + ")", e);
    }
    return new StreamResult(total, Crc32c.hex(crc.getValue()));
  }

  private void checkCalledOff(FileCopy f) throws InterruptedException {
    if (calledOff || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("the copy of " + f.source() + " was called off");
    }
  }

  private String readBack(FileCopy f, Path tmp, byte[] buffer) {
    CRC32C crc = new CRC32C();
    try (InputStream in = to.open(tmp, buffer.length)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw failure(f, "cannot read the copy back from the destination (" + Failures.describe(e) + ")", e);
    }
    return Crc32c.hex(crc.getValue());
  }

  private CopyException failure(FileCopy f, String reason, Throwable cause) {
    return new CopyException(f.source(), to.makeQualified(f.target()), reason, cause);
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
