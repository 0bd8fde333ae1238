package dev.fanout.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.events.Event;

/** An event as the JSON body a notification posts; every field is always present (null where unknown). */
public final class EventJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Long error texts are cut so that a row fits the outbox's payload column. */
  private static final int MAX_TEXT = 2000;

  private EventJson() {}

  public static String of(Event e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("event", e.name());
    n.put("kind", e.kind().code());
    n.put("phase", e.phase().code());
    n.put("time", e.at().toString());
    n.put("instance", e.instance());
    n.put("table", e.table() == null ? null : e.table().toString());
    n.put("destination", e.destination());
    n.put("import_id", e.importId());
    n.put("rows", e.rows());
    n.put("bytes", e.bytes());
    n.put("lag_seconds", e.lagSeconds());
    n.put("message", cut(e.message()));
    n.put("error", cut(e.error()));
    return n.toString();
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
