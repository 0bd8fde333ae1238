package dev.fanout.copy;

import java.time.Duration;

/**
 * What one copy did: the files it copied, the files that were already in place and skipped, the bytes it
 * moved (skipped files count none) and the wall-clock time it took.
 */
public record CopyResult(int filesCopied, int filesSkipped, long bytesCopied, Duration elapsed) {
  /** A copy of nothing. */
  public static final CopyResult NONE = new CopyResult(0, 0, 0, Duration.ZERO);

  /** Both copies together, as if they had run one after the other. */
  public CopyResult plus(CopyResult other) {
    return new CopyResult(filesCopied + other.filesCopied, filesSkipped + other.filesSkipped,
        bytesCopied + other.bytesCopied, elapsed.plus(other.elapsed));
  }
}
