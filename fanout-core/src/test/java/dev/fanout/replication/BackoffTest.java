package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wait before a failed copy job's next try: min(cap, base × 2^(n−1)), jittered to between half and all of it. */
class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10));

  @Test
  void theFirstRetryWaitsBetweenHalfAndAllOfTheBase() {
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delayAfter(1)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
    }
  }

  @Test
  void eachFailureDoublesTheWait() {
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.delayAfter(2)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
      assertThat(backoff.delayAfter(4)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
    }
  }

  @Test
  void backoffNeverWaitsLongerThanItsCap() {
    for (int failures : new int[] {8, 9, 20, 64, 1000, Integer.MAX_VALUE}) {
      assertThat(backoff.delayAfter(failures)).as(failures + " failures")
          .isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
  }

  @Test
  void jobsThatFailedTogetherDoNotAllComeBackAtOnce() {
    assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delayAfter(3)).distinct().count())
        .isGreaterThan(10);
  }

  @Test
  void aBaseAboveItsCapOrNotPositiveIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(1), Duration.ofSeconds(1)))
        .hasMessageContaining("not above its cap");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
  }
}
