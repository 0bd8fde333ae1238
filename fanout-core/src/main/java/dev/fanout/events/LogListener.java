package dev.fanout.events;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events to the log: an event's own message where the work wrote one (the wording people and
 * log searches know), else its name and figures. Progress events go to the debug level only.
 */
public final class LogListener implements FanoutListener {
  private static final Logger LOG = LoggerFactory.getLogger("dev.fanout.events");
  private final boolean failuresAreWarnings;

  private LogListener(boolean failuresAreWarnings) {
    this.failuresAreWarnings = failuresAreWarnings;
  }

  /** For a server: nobody watches it, so failures are warnings. */
  public static LogListener forServer() {
    return new LogListener(true);
  }

  /** For a command: it prints its failure as its one sentence on stderr, so the log keeps it at info. */
  public static LogListener forCommand() {
    return new LogListener(false);
  }

  @Override
  public void on(Event e) {
    if (e.phase() == Event.Phase.PROGRESS) {
      if (LOG.isDebugEnabled()) {
        LOG.debug(line(e));
      }
    } else if (e.phase() == Event.Phase.FAILED && failuresAreWarnings) {
      LOG.warn(line(e));
    } else if (LOG.isInfoEnabled()) {
      LOG.info(line(e));
    }
  }

  static String line(Event e) {
    String text = e.message() != null ? e.message() : e.name() + subject(e) + figures(e);
    return e.error() == null ? text : text + ": " + e.error();
  }

  private static String subject(Event e) {
    return (e.table() == null ? "" : " " + e.table())
        + (e.importId() == null ? "" : " import " + e.importId())
        + (e.destination() == null ? "" : " to " + e.destination());
  }

  private static String figures(Event e) {
    StringBuilder out = new StringBuilder();
    if (e.rows() != 0) {
      out.append(", ").append(e.rows()).append(" rows");
    }
    if (e.bytes() != 0) {
      out.append(", ").append(e.bytes()).append(" bytes");
    }
    if (e.lagSeconds() != 0) {
      out.append(String.format(Locale.ROOT, ", lag %.1f s", e.lagSeconds()));
    }
    return out.toString();
  }
}
