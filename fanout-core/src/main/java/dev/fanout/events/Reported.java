package dev.fanout.events;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one piece of work between a STARTED event and exactly one DONE or FAILED event: the failure
 * event is sent whatever the work throws, before the exception goes on to the caller.
 */
public final class Reported {
  private Reported() {}

  /**
   * @param started the STARTED event; DONE and FAILED events are derived from it
   * @param done adds the result's figures to the DONE event
   */
  public static <T> T run(FanoutListener listener, Event started, Supplier<T> work, Function<T, Event> done) {
    listener.on(started);
    T result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      listener.on(started.failed(e));
      throw e;
    }
    listener.on(done.apply(result).withPhase(Event.Phase.DONE));
    return result;
  }
}
