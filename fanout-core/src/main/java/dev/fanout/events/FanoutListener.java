package dev.fanout.events;

import java.util.List;

/**
 * Hears every event of every kind of work (import, copy, table mirror, role switch, verify), so console
 * progress, metrics, logs and notifications hang off the work without the work knowing who listens.
 * Called from worker and split threads alike: implementations are thread-safe and quick (anything slow,
 * such as an HTTP call, is queued and done elsewhere). A listener that throws is not the work's failure.
 */
public interface FanoutListener {
  void on(Event event);

  FanoutListener NONE = event -> {};

  /** Every listener hears every event, in order; one that throws does not stop the others or the work. */
  static FanoutListener all(FanoutListener... listeners) {
    List<FanoutListener> list = List.of(listeners);
    return event -> {
      for (FanoutListener l : list) {
        try {
          l.on(event);
        } catch (RuntimeException ignored) {
          // a broken listener must not fail an import; the log listener (if any) has the event
        }
      }
    };
  }
}
