package dev.fanout.failure;

/**
 * A value the user gave that no run could accept (a retry count out of range, a schedule Airflow would
 * reject): the CLI treats it as a bad command line, exits 2, and nothing was changed.
 */
public final class BadInputException extends FanoutException {
  public BadInputException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
