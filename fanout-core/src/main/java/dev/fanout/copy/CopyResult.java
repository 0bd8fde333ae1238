package dev.fanout.copy;

import java.time.Duration;

/** What a copy did: files copied, files already there and skipped, bytes moved, time taken. */
public record CopyResult(int filesCopied, int filesSkipped, long bytesCopied, Duration elapsed) {
  public CopyResult plus(CopyResult other) {
    return new CopyResult(filesCopied + other.filesCopied, filesSkipped + other.filesSkipped,
        bytesCopied + other.bytesCopied, elapsed.plus(other.elapsed));
  }
}
