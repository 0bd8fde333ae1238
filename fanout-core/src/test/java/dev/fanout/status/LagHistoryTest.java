package dev.fanout.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.status.LagHistory.Job;
import dev.fanout.status.LagHistory.Point;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lag over time of the status page's chart, straight from job creation and end times. */
class LagHistoryTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Instant FROM = NOW.minus(Duration.ofHours(6));

  private static Instant at(String hhmm) {
    return Instant.parse("2026-12-05T" + hhmm + ":00Z");
  }

  /** A point as "HH:MM lag-in-minutes", to compare series at a glance. */
  private static String point(String hhmm, long lagMinutes) {
    return hhmm + " " + lagMinutes;
  }

  private static List<String> points(List<Point> series) {
    return series.stream().map(p -> p.at().toString().substring(11, 16) + " " + p.lag().toMinutes()).toList();
  }

  @Test
  void theLagIsTheAgeOfTheOldestJobNotFinishedYet() {
    List<Job> jobs = List.of(
        new Job("b", at("07:00"), at("07:30")),
        new Job("b", at("07:10"), at("08:00")),
        new Job("b", at("09:00"), null));

    Map<String, List<Point>> lag = LagHistory.of(jobs, FROM, NOW);

    assertThat(points(lag.get("b"))).containsExactly(
        point("07:00", 0),   // created: pending for no time yet
        point("07:10", 10),  // the first is 10 minutes old
        point("07:30", 20),  // the first is done; the second is 20 minutes old
        point("08:00", 0),   // all done
        point("09:00", 0),
        point("12:00", 180)); // now: the third has waited 3 hours
    // from a job's creation on, its lag grows with the clock until the next point
    Point created = lag.get("b").get(4);
    assertThat(created.oldestPending()).isEqualTo(at("09:00"));
    assertThat(created.lagUntil(NOW)).isEqualTo(Duration.ofHours(3));
    assertThat(lag.get("b").get(3).lagUntil(at("09:00"))).as("nothing pending from 08:00").isZero();
  }

  @Test
  void eachDestinationHasItsOwnSeriesAndOnlyTimesWithinTheWindowArePoints() {
    List<Job> jobs = List.of(
        new Job("c", at("04:00"), at("06:30")),   // created before the window: its age still counts
        new Job("b", at("05:00"), at("05:30")),   // over before the window: no point
        new Job("b", at("11:00"), at("11:20")));

    Map<String, List<Point>> lag = LagHistory.of(jobs, FROM, NOW);

    assertThat(lag.keySet()).containsExactly("b", "c");
    assertThat(points(lag.get("b"))).containsExactly(point("11:00", 0), point("11:20", 0), point("12:00", 0));
    assertThat(points(lag.get("c"))).containsExactly(point("06:30", 0), point("12:00", 0));
    assertThat(LagHistory.lagAt(List.of(jobs.get(0)), at("06:00"))).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void noJobsNoSeries() {
    assertThat(LagHistory.of(List.of(), FROM, NOW)).isEmpty();
  }
}
