package dev.fanout.server;

import dev.fanout.status.LagHistory;
import dev.fanout.status.Utc;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status page's chart of each destination's lag over the last hours, as inline SVG drawn on the
 * server. Between two points the lag grows with the clock while a job waits, and drops when it ends, so
 * each series is drawn as that ramp and step; the points themselves are the computed ones.
 */
final class LagChart {
  private static final int WIDTH = 820;
  private static final int HEIGHT = 280;
  private static final int LEFT = 70;
  private static final int RIGHT = 130;
  private static final int TOP = 14;
  private static final int BOTTOM = 42;
  private static final String[] COLOURS = {"#1565c0", "#7b1fa2", "#00838f", "#ad1457", "#5d4037", "#455a64",
      "#283593", "#558b2f"};
  /** Round top values of the lag axis. */
  private static final long[] STEPS = {60, 300, 600, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400};

  private LagChart() {}

  static String render(Map<String, List<LagHistory.Point>> series, Instant from, Instant now) {
    StringBuilder svg = new StringBuilder(4096);
    long maxLag = top(series);
    svg.append("<svg id=\"lag-chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" width=\"100%\" style=\"max-width:").append(WIDTH).append("px\" xmlns=\"http://www.w3.org/2000/svg\"")
        .append(" data-from=\"").append(Utc.text(from)).append("\" data-now=\"").append(Utc.text(now))
        .append("\"><title>Lag per destination, ").append(Utc.text(from)).append(" to ").append(Utc.text(now))
        .append("</title>\n");
    axes(svg, from, now, maxLag);
    int i = 0;
    for (Map.Entry<String, List<LagHistory.Point>> e : series.entrySet()) {
      String colour = COLOURS[i % COLOURS.length];
      line(svg, e.getKey(), e.getValue(), colour, from, now, maxLag);
      legend(svg, e.getKey(), colour, i);
      i++;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void axes(StringBuilder svg, Instant from, Instant now, long maxLag) {
    int bottom = HEIGHT - BOTTOM;
    int right = WIDTH - RIGHT;
    for (int k = 0; k <= 4; k++) {
      long lag = maxLag * k / 4;
      double y = y(lag, maxLag);
      svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(right).append("\" y1=\"").append(f(y))
          .append("\" y2=\"").append(f(y)).append("\" stroke=\"").append(k == 0 ? "#57606a" : "#e5e8eb").append("\"/>")
          .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
          .append(Utc.duration(Duration.ofSeconds(lag))).append("</text>\n");
    }
    Instant tick = from.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    while (!tick.isAfter(now)) {
      double x = x(tick, from, now);
      svg.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(TOP)
          .append("\" y2=\"").append(bottom + 4).append("\" stroke=\"#eef0f2\"/>")
          .append("<text x=\"").append(f(x)).append("\" y=\"").append(bottom + 16).append("\" text-anchor=\"middle\">")
          .append(tick.atOffset(ZoneOffset.UTC).toLocalTime()).append("</text>\n");
      tick = tick.plus(Duration.ofHours(1));
    }
    svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
        .append("\" y2=\"").append(bottom).append("\" stroke=\"#57606a\"/>")
        .append("<text x=\"").append((LEFT + right) / 2).append("\" y=\"").append(HEIGHT - 6)
        .append("\" text-anchor=\"middle\">time (UTC)</text>")
        .append("<text x=\"14\" y=\"").append((TOP + bottom) / 2).append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
        .append((TOP + bottom) / 2).append(")\">lag (age of oldest pending job)</text>\n");
  }

  private static void line(StringBuilder svg, String destination, List<LagHistory.Point> points, String colour,
      Instant from, Instant now, long maxLag) {
    svg.append("<g class=\"series\" data-destination=\"").append(Html.escape(destination)).append("\" data-points=\"")
        .append(points.size()).append("\"><polyline fill=\"none\" stroke=\"").append(colour)
        .append("\" stroke-width=\"2\" points=\"");
    LagHistory.Point previous = null;
    for (LagHistory.Point p : points) {
      if (previous != null) {
        // the ramp: the oldest pending job kept waiting until this point
        svg.append(f(x(p.at(), from, now))).append(',')
            .append(f(y(previous.lagUntil(p.at()).getSeconds(), maxLag))).append(' ');
      }
      svg.append(f(x(p.at(), from, now))).append(',').append(f(y(p.lag().getSeconds(), maxLag))).append(' ');
      previous = p;
    }
    svg.append("\"/>");
    for (LagHistory.Point p : points) {
      svg.append("<circle class=\"point\" r=\"3\" fill=\"").append(colour).append("\" cx=\"").append(f(x(p.at(), from, now)))
          .append("\" cy=\"").append(f(y(p.lag().getSeconds(), maxLag))).append("\" data-at=\"").append(Utc.text(p.at()))
          .append("\" data-lag-seconds=\"").append(p.lag().getSeconds()).append("\"><title>")
          .append(Html.escape(destination)).append(" at ").append(Utc.text(p.at())).append(": ")
          .append(Utc.duration(p.lag())).append(" behind</title></circle>");
    }
    svg.append("</g>\n");
  }

  private static void legend(StringBuilder svg, String destination, String colour, int index) {
    int y = TOP + 8 + index * 18;
    int x = WIDTH - RIGHT + 14;
    svg.append("<g class=\"legend\"><rect x=\"").append(x).append("\" y=\"").append(y - 8)
        .append("\" width=\"14\" height=\"4\" fill=\"").append(colour).append("\"/><text x=\"").append(x + 20)
        .append("\" y=\"").append(y - 3).append("\">").append(Html.escape(shorten(destination))).append("</text></g>\n");
  }

  /** The lag axis's top: the highest lag drawn (ramps included), rounded up to a readable value. */
  private static long top(Map<String, List<LagHistory.Point>> series) {
    long max = 0;
    for (List<LagHistory.Point> points : series.values()) {
      LagHistory.Point previous = null;
      for (LagHistory.Point p : points) {
        max = Math.max(max, p.lag().getSeconds());
        if (previous != null) {
          max = Math.max(max, previous.lagUntil(p.at()).getSeconds());
        }
        previous = p;
      }
    }
    for (long step : STEPS) {
      if (max <= step) {
        return step;
      }
    }
    return (max / 86400 + 1) * 86400;
  }

  private static double x(Instant t, Instant from, Instant now) {
    double span = Math.max(1, Duration.between(from, now).toMillis());
    return LEFT + (WIDTH - LEFT - RIGHT) * Duration.between(from, t).toMillis() / span;
  }

  private static double y(long lagSeconds, long maxLag) {
    return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (double) Math.min(lagSeconds, maxLag) / maxLag;
  }

  private static String shorten(String s) {
    return s.length() <= 16 ? s : s.substring(0, 15) + "…";
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
