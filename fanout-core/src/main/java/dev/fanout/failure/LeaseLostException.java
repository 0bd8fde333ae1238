package dev.fanout.failure;

/**
 * The work's lease was taken over by another holder (this one stalled past its lease, or lost the
 * metadata database for longer than the lease): it stops and commits nothing, and the new holder
 * does the work. Retrying is the new holder's business, not this one's.
 */
public final class LeaseLostException extends FanoutException {
  public LeaseLostException(String message) {
    super(message);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
