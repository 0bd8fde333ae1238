package dev.fanout.copy;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small helpers that turn I/O failures into reasons a user can read, and clean up after them. */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int newline = message.indexOf('\n');
    if (newline > 0) {
      message = message.substring(0, newline);  // Hadoop's RemoteExceptions append a server stack trace
    }
    if (e instanceof FileNotFoundException) {
      return "not found: " + message;
    }
    return message;
  }

  /**
   * Deletes a file, best effort: a leftover temporary file is harmless (hidden, and overwritten by the
   * next attempt). The thread's interrupt flag is set aside meanwhile, since Hadoop's RPC client refuses
   * to call out from an interrupted thread.
   */
  static void deleteQuietly(FileSystem fs, Path path) {
    boolean interrupted = Thread.interrupted();
    try {
      fs.delete(path, false);
    } catch (IOException | RuntimeException ignored) {
      // best effort, see above
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
