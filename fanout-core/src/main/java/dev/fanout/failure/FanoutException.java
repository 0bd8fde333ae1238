package dev.fanout.failure;

/**
 * A failure a user can act on. Its message is one sentence that says what went wrong and, where it
 * helps, what to do next; the CLI prints it as it is and exits non-zero.
 *
 * <p>By default a failure may pass (a remote that is down, a database that restarts), so the server
 * retries work that failed this way with back-off, forever. Failures that no retry can mend are
 * {@link NeedsPersonException}s; a holder that lost its lease throws {@link LeaseLostException}.
 */
public class FanoutException extends RuntimeException {
  public FanoutException(String message) {
    super(message);
  }

  public FanoutException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether doing the same work again later can succeed without anyone changing anything. */
  public boolean retryable() {
    return true;
  }

  /** Whether any failure in {@code e}'s causes says that retrying is useless. */
  public static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FanoutException f && !f.retryable()) {
        return false;
      }
    }
    return true;
  }
}
