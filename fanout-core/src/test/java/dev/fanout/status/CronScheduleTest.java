package dev.fanout.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a DAG's schedule next runs, as the status shows it under "next due" (UTC). */
class CronScheduleTest {
  private static final Instant NOW = Instant.parse("2026-12-05T13:02:11Z"); // a Saturday

  private static String next(String schedule) {
    return CronSchedule.parse(schedule).nextAfter(NOW).map(Instant::toString).orElse("none");
  }

  @Test
  void airflowPresets() {
    assertThat(next("@hourly")).isEqualTo("2026-12-05T14:00:00Z");
    assertThat(next("@daily")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("@weekly")).isEqualTo("2026-12-06T00:00:00Z");
    assertThat(next("@monthly")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@quarterly")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@yearly")).isEqualTo("2027-01-01T00:00:00Z");
    assertThat(next("@once")).isEqualTo("none");
    assertThat(next("@continuous")).isEqualTo("none");
  }

  @Test
  void cronFields() {
    assertThat(next("30 2 * * *")).isEqualTo("2026-12-06T02:30:00Z");
    assertThat(next("*/15 * * * *")).isEqualTo("2026-12-05T13:15:00Z");
    assertThat(next("0 9-17 * * MON-FRI")).isEqualTo("2026-12-07T09:00:00Z");
    assertThat(next("0 0 29 2 *")).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(next("5 4 * DEC 7")).isEqualTo("2026-12-06T04:05:00Z");
    assertThat(next("0 12 1,15 * *")).isEqualTo("2026-12-15T12:00:00Z");
    // both day fields restricted: either one matching is enough, as in cron
    assertThat(next("0 0 24 * 1")).isEqualTo("2026-12-07T00:00:00Z");
    assertThat(next("3 13 * * *")).isEqualTo("2026-12-05T13:03:00Z");
  }

  @Test
  void whatItCannotFollowIsOneSentence() {
    assertThatThrownBy(() -> CronSchedule.parse("0 0 L * *").nextAfter(NOW))
        .isInstanceOf(FanoutException.class).hasMessageContaining("cron features this status cannot follow");
  }
}
