package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import org.apache.hadoop.fs.Path;

/**
 * A copy failed. It names the source file (or none, when the destination could not be prepared), the
 * target, and the reason in words a user can act on, so a caller that knows more (which cluster, which
 * import) can say it in one sentence of its own.
 */
public final class CopyException extends FanoutException {
  private final Path source;
  private final Path target;
  private final String reason;

  CopyException(Path source, Path target, String reason, Throwable cause) {
    super((source == null ? "Cannot copy to " + target : "Cannot copy " + source + " to " + target) + ": " + reason
        + ".", cause);
    this.source = source;
    this.target = target;
    this.reason = reason;
  }

  /** The source file, or {@code null} when the failure was not about one file. */
  public Path source() {
    return source;
  }

  /** The target file or directory, qualified with the destination's file system. */
  public Path target() {
    return target;
  }

  /** Why, without the file names: "the source file is damaged (...)". */
  public String reason() {
    return reason;
  }
}
