package dev.fanout.failure;

/**
 * A failure that retrying cannot mend: the data or configuration it needs is gone or wrong, and a
 * person must decide (repair, re-import, or cancel the job). The server flags such a job at once
 * instead of retrying it.
 */
public class NeedsPersonException extends FanoutException {
  public NeedsPersonException(String message) {
    super(message);
  }

  public NeedsPersonException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
