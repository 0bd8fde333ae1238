package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The durations ({@code --poll 500ms}, {@code --valid-for 365d}) and sizes ({@code --bandwidth 50M}) options take. */
class DurationsAndSizesTest {
  @Test
  void durationsTakeTheUnitsTheHelpShows() {
    assertThat(Durations.parse("500ms", "--poll")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s", "--lease")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("10m", "--retry-cap")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h", "--timeout")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("365d", "--valid-for")).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void durationsAlsoTakeIsoFormAndIgnoreCaseAndSpaces() {
    assertThat(Durations.parse("PT2H", "--timeout")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("pt1m30s", "--timeout")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse(" 5S ", "--grace")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("0s", "--grace")).isZero();
  }

  @Test
  void aDurationWithoutAKnownUnitOrBelowZeroIsRefusedNamingTheOption() {
    for (String bad : new String[] {"10", "ten minutes", "5w", "-1s", "PT-1H", "", "ms"}) {
      assertThatThrownBy(() -> Durations.parse(bad, "--timeout")).as("'" + bad + "'").isInstanceOf(FanoutException.class)
          .hasMessage("--timeout '" + bad + "' is not a duration such as 500ms, 30s, 10m, 2h, 90d or PT2H.");
    }
  }

  @Test
  void sizesArePowersOf1024OrPlainBytes() {
    assertThat(Sizes.parseBytes("500K", "--bandwidth")).isEqualTo(500 * 1024L);
    assertThat(Sizes.parseBytes("50m", "--bandwidth")).isEqualTo(50 * 1024L * 1024);
    assertThat(Sizes.parseBytes("1G", "--bandwidth")).isEqualTo(1L << 30);
    assertThat(Sizes.parseBytes(" 4096 ", "--bandwidth")).isEqualTo(4096);
  }

  @Test
  void aSizeThatIsNotPositiveOrOverflowsOrHasAnotherUnitIsRefusedNamingTheOption() {
    for (String bad : new String[] {"0", "-5M", "1T", "5MB", "lots", "", "9223372036854775807K"}) {
      assertThatThrownBy(() -> Sizes.parseBytes(bad, "--bandwidth")).as("'" + bad + "'")
          .isInstanceOf(FanoutException.class)
          .hasMessage("--bandwidth '" + bad + "' is not a size such as 500K, 50M or 1G.");
    }
  }
}
