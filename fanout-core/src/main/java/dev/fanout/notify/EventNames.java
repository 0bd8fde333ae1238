package dev.fanout.notify;

import dev.fanout.events.Event;
import dev.fanout.failure.FanoutException;
import java.util.LinkedHashSet;
import java.util.Set;

/** The event names an endpoint subscribes to: {@code kind.phase}, such as {@code copy.done} or {@code import.failed}. */
public final class EventNames {
  private EventNames() {}

  /** Without {@code --events}: every kind's done and failed events, what someone on call wants to hear. */
  public static Set<String> defaults() {
    Set<String> out = new LinkedHashSet<>();
    for (String name : Event.subscribableNames()) {
      if (name.endsWith(".done") || name.endsWith(".failed")) {
        out.add(name);
      }
    }
    return out;
  }

  /** A comma-separated list, each name checked against the known kinds and phases. */
  public static Set<String> parse(String list) {
    Set<String> known = Event.subscribableNames();
    Set<String> out = new LinkedHashSet<>();
    for (String raw : list.split(",")) {
      String name = raw.trim().toLowerCase(java.util.Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      if (name.endsWith(".progress") && known.contains(name.replace(".progress", ".done"))) {
        throw new FanoutException("'" + name + "' cannot be subscribed to: progress events come many times a"
            + " second and are for the console only.");
      }
      if (!known.contains(name)) {
        throw new FanoutException("Unknown event '" + raw.trim() + "'; an event is kind.phase with kind one of "
            + kinds() + " and phase one of started, done, failed, note (e.g. copy.done,import.failed).");
      }
      out.add(name);
    }
    if (out.isEmpty()) {
      throw new FanoutException("--events names no event; give e.g. --events copy.done,import.failed.");
    }
    return out;
  }

  private static String kinds() {
    StringBuilder out = new StringBuilder();
    for (Event.Kind k : Event.Kind.values()) {
      out.append(out.length() == 0 ? "" : ", ").append(k.code());
    }
    return out.toString();
  }
}
