package dev.fanout.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How far behind each destination was over a window of time, from its copy jobs alone: the lag at time
 * t is t minus the creation of the oldest job to that destination created at or before t and not
 * finished by t (0 if none). There is a point at each job's creation and end within the window, and now.
 */
public final class LagHistory {
  /** A copy job as far as lag is concerned; {@code finished} is null while it is pending. */
  public record Job(String destination, Instant created, Instant finished) {}

  /**
   * The lag of a destination at one time: the age of its oldest pending job then ({@code oldestPending},
   * null when none is pending; a job just created is pending with a lag of 0, and its lag grows from there).
   */
  public record Point(Instant at, Instant oldestPending) {
    public Duration lag() {
      return oldestPending == null ? Duration.ZERO : Duration.between(oldestPending, at);
    }

    /** The lag just before {@code later}, had nothing ended between: the line from this point to the next. */
    public Duration lagUntil(Instant later) {
      return oldestPending == null ? Duration.ZERO : Duration.between(oldestPending, later);
    }
  }

  private LagHistory() {}

  /** Points per destination, destinations in name order, points in time order. */
  public static Map<String, List<Point>> of(List<Job> jobs, Instant from, Instant now) {
    Map<String, List<Job>> byDestination = new TreeMap<>();
    for (Job j : jobs) {
      byDestination.computeIfAbsent(j.destination(), d -> new ArrayList<>()).add(j);
    }
    Map<String, List<Point>> out = new TreeMap<>();
    byDestination.forEach((destination, its) -> {
      TreeSet<Instant> times = new TreeSet<>();
      for (Job j : its) {
        within(times, j.created(), from, now);
        within(times, j.finished(), from, now);
      }
      times.add(now);
      List<Point> points = new ArrayList<>();
      for (Instant t : times) {
        points.add(new Point(t, oldestPendingAt(its, t)));
      }
      out.put(destination, points);
    });
    return out;
  }

  /** The lag of one destination's jobs at {@code t}. */
  static Duration lagAt(List<Job> jobs, Instant t) {
    return new Point(t, oldestPendingAt(jobs, t)).lag();
  }

  private static Instant oldestPendingAt(List<Job> jobs, Instant t) {
    Instant oldest = null;
    for (Job j : jobs) {
      boolean pending = !j.created().isAfter(t) && (j.finished() == null || j.finished().isAfter(t));
      if (pending && (oldest == null || j.created().isBefore(oldest))) {
        oldest = j.created();
      }
    }
    return oldest;
  }

  private static void within(TreeSet<Instant> times, Instant t, Instant from, Instant now) {
    if (t != null && !t.isBefore(from) && !t.isAfter(now)) {
      times.add(t);
    }
  }
}
