package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.status.LagHistory;
import dev.fanout.status.LagHistory.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lag chart as drawn for six hours of two destinations' jobs, without a server: one series per
 * destination with a point per computed lag, its legend and labelled axes. The chart is also written to
 * target/screenshots/lag-chart.html to look at.
 */
class LagChartTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Instant FROM = NOW.minus(Duration.ofHours(6));

  private static Instant at(String hhmm) {
    return Instant.parse("2026-12-05T" + hhmm + ":00Z");
  }

  @Test
  void eachDestinationIsOneSeriesWithItsPointsLegendAndAxes() throws IOException {
    Map<String, List<LagHistory.Point>> history = LagHistory.of(List.of(
        new Job("dr-site", at("06:30"), at("07:10")),
        new Job("dr-site", at("08:00"), at("09:45")),
        new Job("dr-site", at("10:00"), at("10:05")),
        new Job("reporting", at("07:00"), at("07:20")),
        new Job("reporting", at("09:00"), null),
        new Job("<b>x</b>", at("11:00"), at("11:30"))), FROM, NOW);

    String svg = LagChart.render(history, FROM, NOW);

    assertThat(count(svg, "<g class=\"series\"")).isEqualTo(3);
    assertThat(series(svg, "dr-site")).isEqualTo(7);
    assertThat(series(svg, "reporting")).isEqualTo(4);
    assertThat(svg).contains("data-lag-seconds=\"10800\"") // reporting now: waiting since 09:00
        .contains(">time (UTC)<").contains(">lag (age of oldest pending job)<")
        .contains(">07:00<").contains(">12:00<").contains(">3h<")
        .contains("&lt;b&gt;x&lt;/b&gt;").doesNotContain("<b>x");
    assertThat(count(svg, "<g class=\"legend\"")).isEqualTo(3);

    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("lag-chart.html"), Html.page("Lag chart", 0, "<main><section>" + svg + "</section></main>"));
  }

  private static int series(String svg, String destination) {
    Matcher m = Pattern.compile("<g class=\"series\" data-destination=\"" + destination + "\" data-points=\"(\\d+)\">(.*?)</g>")
        .matcher(svg);
    assertThat(m.find()).isTrue();
    assertThat(count(m.group(2), "<circle")).isEqualTo(Integer.parseInt(m.group(1)));
    return Integer.parseInt(m.group(1));
  }

  private static int count(String s, String part) {
    return s.split(Pattern.quote(part), -1).length - 1;
  }
}
