package dev.fanout.events;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    Logger log = LoggerFactory.getLogger(FanoutListener.class);
    return event -> {
      for (FanoutListener l : list) {
        try {
          l.on(event);
        } catch (RuntimeException e) {
          // a broken listener must not fail an import; it is worth a line in the log, though
          log.debug("A listener failed on {}: {}", event.name(), e.toString());
        }
      }
    };
  }

  /** This listener, hearing every event with {@code instance} filled in where the work left it out. */
  default FanoutListener forInstance(String instance) {
    return event -> on(event.instance() == null ? event.withInstance(instance) : event);
  }
}
