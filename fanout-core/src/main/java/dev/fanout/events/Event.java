package dev.fanout.events;

import dev.fanout.metadata.TableName;
import java.time.Instant;
import java.util.Locale;

/**
 * Something Fanout did, as every listener hears it: which kind of work, which phase of it, and the
 * figures a person, a metric or a webhook needs. Immutable; built with {@link #of} and the {@code with}
 * methods.
 *
 * <p>{@code rows} and {@code bytes} are the work's totals in a {@link Phase#DONE} event and the
 * increment since the last report in a {@link Phase#PROGRESS} event; in a {@link Phase#STARTED} event
 * {@code rows} is the number expected, where known. {@code lagSeconds} is the time from the data's
 * load on its first cluster to this event, for copies.
 */
public record Event(Kind kind, Phase phase, Instant at, String instance, TableName table, String destination,
    String importId, long rows, long bytes, double lagSeconds, String message, String error) {

  /** The kinds of work that report events. */
  public enum Kind {
    IMPORT, STAGE, LOAD, COPY, MIRROR, ROLE_SWITCH, VERIFY;

    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Where the work is. Every STARTED is followed by one DONE or one FAILED, even when the work throws. */
  public enum Phase {
    STARTED, PROGRESS, DONE, FAILED, NOTE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static Event of(Kind kind, Phase phase) {
    return new Event(kind, phase, Instant.now(), null, null, null, null, 0, 0, 0, null, null);
  }

  /** A line for a person, with no figures: "Resuming the load of …". */
  public static Event note(Kind kind, TableName table, String message) {
    return of(kind, Phase.NOTE).withTable(table).withMessage(message);
  }

  /** The event's name as users subscribe to it: {@code copy.done}, {@code import.failed}, … */
  public String name() {
    return kind.code() + "." + phase.code();
  }

  /** The names of every event a notification can subscribe to: all but the (very frequent) progress events. */
  public static java.util.Set<String> subscribableNames() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (Kind k : Kind.values()) {
      for (Phase p : Phase.values()) {
        if (p != Phase.PROGRESS) {
          out.add(k.code() + "." + p.code());
        }
      }
    }
    return out;
  }

  /**
   * The FAILED event of this work, with the failure's message (or its type, when it has none) as its
   * error; the STARTED event's line for people does not carry over.
   */
  public Event failed(Throwable e) {
    return withPhase(Phase.FAILED).withMessage(null).withError(e.getMessage() == null ? e.toString() : e.getMessage());
  }

  public Event withPhase(Phase p) {
    return new Event(kind, p, Instant.now(), instance, table, destination, importId, rows, bytes, lagSeconds,
        message, error);
  }

  public Event withInstance(String v) {
    return new Event(kind, phase, at, v, table, destination, importId, rows, bytes, lagSeconds, message, error);
  }

  public Event withTable(TableName v) {
    return new Event(kind, phase, at, instance, v, destination, importId, rows, bytes, lagSeconds, message, error);
  }

  public Event withDestination(String v) {
    return new Event(kind, phase, at, instance, table, v, importId, rows, bytes, lagSeconds, message, error);
  }

  public Event withImportId(String v) {
    return new Event(kind, phase, at, instance, table, destination, v, rows, bytes, lagSeconds, message, error);
  }

  public Event withRows(long v) {
    return new Event(kind, phase, at, instance, table, destination, importId, v, bytes, lagSeconds, message, error);
  }

  public Event withBytes(long v) {
    return new Event(kind, phase, at, instance, table, destination, importId, rows, v, lagSeconds, message, error);
  }

  public Event withLagSeconds(double v) {
    return new Event(kind, phase, at, instance, table, destination, importId, rows, bytes, v, message, error);
  }

  public Event withMessage(String v) {
    return new Event(kind, phase, at, instance, table, destination, importId, rows, bytes, lagSeconds, v, error);
  }

  public Event withError(String v) {
    return new Event(kind, phase, at, instance, table, destination, importId, rows, bytes, lagSeconds, message, v);
  }
}
