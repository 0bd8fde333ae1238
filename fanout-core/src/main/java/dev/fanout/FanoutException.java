package dev.fanout;

/**
 * A failure a user can act on. Its message is one sentence that says what went wrong and, where it
 * helps, what to do next; the CLI prints it as it is and exits non-zero.
 */
public class FanoutException extends RuntimeException {
  public FanoutException(String message) {
    super(message);
  }

  public FanoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
