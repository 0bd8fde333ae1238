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

  private static Point point(String hhmm, long lagMinutes) {
    return new Point(at(hhmm), Duration.ofMinutes(lagMinutes));
  }

  @Test
  void theLagIsTheAgeOfTheOldestJobNotFinishedYet() {
    List<Job> jobs = List.of(
        new Job("b", at("07:00"), at("07:30")),
        new Job("b", at("07:10"), at("08:00")),
        new Job("b", at("09:00"), null));

    Map<String, List<Point>> lag = LagHistory.of(jobs, FROM, NOW);

    assertThat(lag.get("b")).containsExactly(
        point("07:00", 0),   // created: pending for no time yet
        point("07:10", 10),  // the first is 10 minutes old
        point("07:30", 20),  // the first is done; the second is 20 minutes old
        point("08:00", 0),   // all done
        point("09:00", 0),
        point("12:00", 180)); // now: the third has waited 3 hours
  }

  @Test
  void eachDestinationHasItsOwnSeriesAndOnlyTimesWithinTheWindowArePoints() {
    List<Job> jobs = List.of(
        new Job("c", at("04:00"), at("06:30")),   // created before the window: its age still counts
        new Job("b", at("05:00"), at("05:30")),   // over before the window: no point
        new Job("b", at("11:00"), at("11:20")));

    Map<String, List<Point>> lag = LagHistory.of(jobs, FROM, NOW);

    assertThat(lag.keySet()).containsExactly("b", "c");
    assertThat(lag.get("b")).containsExactly(point("11:00", 0), point("11:20", 0), point("12:00", 0));
    assertThat(lag.get("c")).containsExactly(point("06:30", 0), point("12:00", 0));
    assertThat(LagHistory.lagAt(List.of(jobs.get(0)), at("06:00"))).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void noJobsNoSeries() {
    assertThat(LagHistory.of(List.of(), FROM, NOW)).isEmpty();
  }
}
