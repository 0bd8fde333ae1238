package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout wait --newer-than} takes a time as schedulers render it. */
class WaitNewerThanTest {
  @TempDir Path tmp;

  @Test
  void everyWayASchedulerWritesATimeMeansTheSameInstant() {
    Instant twoAm = Instant.parse("2026-11-24T02:00:00Z");
    for (String rendered : List.of("2026-11-24T02:00:00Z", "2026-11-24T02:00:00+00:00", "2026-11-24 02:00:00+00:00",
        "2026-11-24 02:00:00Z", "2026-11-23T21:00:00-05:00", "2026-11-24T02:00:00", "2026-11-24 02:00:00",
        "2026-11-24T02:00")) {
      assertThat(WaitCommand.parseTime(rendered)).as(rendered).isEqualTo(twoAm);
    }
  }

  @Test
  void fractionalSecondsAreKeptToTheMicrosecond() {
    Instant expected = Instant.parse("2026-11-24T02:00:00.123456Z");
    for (String rendered : List.of("2026-11-24T02:00:00.123456+00:00", "2026-11-24 02:00:00.123456+00:00",
        "2026-11-24T02:00:00.123456Z", "2026-11-24T02:00:00.123456")) {
      assertThat(WaitCommand.parseTime(rendered)).as(rendered).isEqualTo(expected);
    }
    assertThat(WaitCommand.parseTime("2026-11-24T02:00:00.5Z")).isEqualTo(Instant.parse("2026-11-24T02:00:00.500Z"));
  }

  @Test
  void aTimeThatIsNotOneExitsTwoWithOneSentence() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    for (String bad : List.of("yesterday", "2026-11-24", "2026-11-24T25:00:00Z", "2026-11-24T02:00:00+25:00",
        "2026-11-24  02:00:00Z", "")) {
      Result r = fanout.run("wait", "--table", "sales.orders", "--newer-than", bad);
      assertThat(r.code()).as(bad).isEqualTo(2);
      assertThat(r.err().strip()).as(bad).doesNotContain("\n")
          .startsWith("fanout: --newer-than '" + bad + "' is not a time such as 2026-11-24T02:00:00Z")
          .endsWith("see 'fanout wait --help'.");
    }
  }
}
