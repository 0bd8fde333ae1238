package dev.fanout.server;

import static dev.fanout.server.Html.escape;

import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.TableLag;
import dev.fanout.status.DestinationStatus;
import dev.fanout.status.LagHistory;
import dev.fanout.status.StatusReport;
import dev.fanout.status.TableStatus;
import dev.fanout.status.Utc;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's status page, rendered on the server (it works with JavaScript off and needs nothing from
 * the network) and reloading itself every 5 seconds: failing jobs first, with a retry button; then each
 * destination, its lag over the last hours, each table's freshness there, and the latest jobs. Every
 * value is escaped: table names, destinations and error messages come from users and remote systems.
 */
final class StatusPage {
  static final int REFRESH_SECONDS = 5;
  private static final int ERROR_CHARS = 200;

  /** What the page shows, read once per request. */
  record View(ServerStatus server, boolean paused, Map<CopyJobState, Integer> counts, StatusReport report,
      Map<String, List<LagHistory.Point>> lagHistory, Duration window, List<CopyJob> jobs, String csrf) {}

  private StatusPage() {}

  static String render(View v) {
    StringBuilder html = new StringBuilder(16384);
    header(html, v.server().owner(), v.csrf());
    html.append("<main>\n");
    failing(html, v.report(), v.csrf(), "/");
    summary(html, v);
    destinations(html, v.report());
    html.append("<section id=\"chart\"><h2>Lag per destination, last ").append(v.window().toHours())
        .append(" hours</h2>\n");
    if (v.lagHistory().isEmpty()) {
      html.append("<p class=\"muted\">No copy jobs in the last ").append(v.window().toHours()).append(" hours.</p>");
    } else {
      html.append(LagChart.render(v.lagHistory(), v.report().now().minus(v.window()), v.report().now()));
    }
    html.append("</section>\n");
    freshness(html, v.report().lag(), v.window());
    tables(html, v.report().tables());
    jobTable(html, v.jobs(), v.server().flagAfterAttempts());
    html.append("</main>\n");
    return Html.page("Fanout server " + v.server().owner(), REFRESH_SECONDS, html.toString());
  }

  /** The bar at the top: which server, and the logout button (a form: it changes state). */
  static void header(StringBuilder html, String owner, String csrf) {
    html.append("<header><h1><a href=\"/\" style=\"text-decoration:none\">Fanout</a></h1><span class=\"who\">server ")
        .append(escape(owner)).append("</span><form class=\"inline\" method=\"post\" action=\"/logout\">")
        .append(csrfField(csrf)).append("<button id=\"logout\" type=\"submit\">Log out</button></form></header>\n");
  }

  private static void summary(StringBuilder html, View v) {
    ServerStatus s = v.server();
    html.append("<section id=\"summary\"><p>Server <b>").append(escape(s.owner())).append("</b>, up since ")
        .append(Utc.text(s.startedAt())).append(", ").append(s.running()).append(" of ").append(s.workers())
        .append(" workers copying. Copies are ")
        .append(v.paused() ? "<span class=\"paused\">paused</span>" : "<span class=\"state-green\">running</span>")
        .append(". Read at ").append(Utc.text(v.report().now())).append(".</p>\n<div class=\"counts\">");
    for (CopyJobState state : CopyJobState.values()) {
      html.append("<div class=\"count\">").append(state.name().toLowerCase(Locale.ROOT)).append("<b data-count=\"")
          .append(state).append("\">").append(v.counts().getOrDefault(state, 0)).append("</b></div>");
    }
    html.append("</div></section>\n");
  }

  /** Failing jobs, flagged first, each with its whole first error line and a retry button. */
  static void failing(StringBuilder html, StatusReport report, String csrf, String back) {
    List<CopyJob> failing = report.failing();
    if (failing.isEmpty()) {
      html.append("<section id=\"failing\" class=\"ok\"><h2>Failing jobs</h2><p class=\"state-green\">"
          + "No job is failing.</p></section>\n");
      return;
    }
    html.append("<section id=\"failing\"><h2>Failing jobs: ").append(failing.size())
        .append("</h2>\n<table><tr><th>job</th><th>what</th><th>to</th><th>state</th><th>tries</th>"
            + "<th>last error</th><th></th></tr>\n");
    for (CopyJob j : failing) {
      boolean flagged = j.flagged(report.flagAfterAttempts());
      html.append("<tr data-job-id=\"").append(j.id()).append("\"").append(flagged ? " class=\"flagged\"" : "")
          .append("><td class=\"num\">").append(j.id()).append("</td><td>").append(escape(j.kind() == CopyJob.Kind.MIRROR
              ? "mirror of " : "import of ")).append(tableLink(j.table().toString())).append("</td><td>")
          .append(escape(j.destination())).append("</td><td><span class=\"state-").append(flagged ? "red" : "amber")
          .append("\">").append(j.state()).append("</span>").append(flagged ? " <span class=\"badge\">flagged</span>" : "")
          .append("</td><td class=\"num\">").append(j.attempts()).append("</td><td class=\"error\">")
          .append(escape(j.lastError() == null ? "" : j.lastError())).append("</td><td>")
          .append(retryButton(j.id(), csrf, back)).append("</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  static String retryButton(long jobId, String csrf, String back) {
    return "<form class=\"inline\" method=\"post\" action=\"/jobs/" + jobId + "/retry\">" + csrfField(csrf)
        + "<input type=\"hidden\" name=\"back\" value=\"" + escape(back) + "\">"
        + "<button class=\"retry\" type=\"submit\">Retry now</button></form>";
  }

  static String csrfField(String csrf) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">";
  }

  private static void destinations(StringBuilder html, StatusReport report) {
    html.append("<section><h2>Destinations</h2>\n<table id=\"destinations\"><tr><th>destination</th><th>pending</th>"
        + "<th>oldest pending</th><th>lag</th><th>last copy_finished</th><th>failing</th></tr>\n");
    for (DestinationStatus d : report.destinations()) {
      String state = !d.failing().isEmpty() ? "red" : d.pendingJobs() > 0 ? "amber" : "green";
      html.append("<tr data-destination=\"").append(escape(d.destination())).append("\"><td><span class=\"state-")
          .append(state).append("\">●</span> ").append(escape(d.destination())).append("</td><td class=\"num\">")
          .append(d.pendingJobs()).append("</td><td class=\"time\">").append(Utc.text(d.oldestPending()))
          .append("</td><td class=\"num\">").append(Utc.duration(seconds(d.lagSeconds()))).append("</td><td class=\"time\">")
          .append(Utc.text(d.copyFinished())).append("</td><td class=\"num\">").append(d.failing().size())
          .append("</td></tr>\n");
    }
    if (report.destinations().isEmpty()) {
      html.append("<tr><td colspan=\"6\">No copy jobs yet.</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  /** Per table and destination: how far behind, as numbers and as a bar that empties as the lag grows. */
  private static void freshness(StringBuilder html, List<TableLag> lag, Duration window) {
    html.append("<section><h2>Freshness per table and destination</h2>\n<table id=\"lag\"><tr><th>table</th>"
        + "<th>destination</th><th>lag seconds</th><th>pending</th><th>failing</th><th>copy_finished</th>"
        + "<th>freshness</th></tr>\n");
    for (TableLag l : lag) {
      html.append("<tr data-table=\"").append(escape(l.table())).append("\" data-destination=\"")
          .append(escape(l.destination())).append("\"><td>").append(tableLink(l.table().toString())).append("</td><td>")
          .append(escape(l.destination())).append("</td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.0f", l.lagSeconds())).append("</td><td class=\"num\">")
          .append(l.pendingJobs()).append("</td><td class=\"num\">").append(l.failingJobs())
          .append("</td><td class=\"time\">").append(Utc.text(l.copyFinished())).append("</td><td>")
          .append(bar(l, window)).append("</td></tr>\n");
    }
    if (lag.isEmpty()) {
      html.append("<tr><td colspan=\"7\">No copy jobs yet.</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  private static String bar(TableLag l, Duration window) {
    String colour;
    String label;
    String state;
    double full = 1 - Math.min(1, l.lagSeconds() / Math.max(1, window.getSeconds()));
    if (l.failingJobs() > 0) {
      colour = Html.RED;
      state = "failing";
      label = "failing, " + Utc.duration(seconds(l.lagSeconds())) + " behind";
    } else if (l.pendingJobs() > 0) {
      colour = Html.AMBER;
      state = "lagging";
      label = Utc.duration(seconds(l.lagSeconds())) + " behind";
    } else {
      colour = Html.GREEN;
      state = "fresh";
      label = "up to date";
      full = 1;
    }
    int width = (int) Math.round(Math.max(0.04, full) * 140);
    return "<svg class=\"bar\" data-state=\"" + state + "\" width=\"140\" height=\"12\" viewBox=\"0 0 140 12\""
        + " xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"140\" height=\"12\" rx=\"3\" fill=\"#e5e8eb\"/>"
        + "<rect width=\"" + width + "\" height=\"12\" rx=\"3\" fill=\"" + colour + "\"/></svg><span class=\"state-"
        + (state.equals("failing") ? "red" : state.equals("lagging") ? "amber" : "green") + "\">" + label + "</span>";
  }

  private static void tables(StringBuilder html, List<TableStatus> tables) {
    html.append("<section><h2>Imported tables</h2>\n<table id=\"tables\"><tr><th>table</th><th>last import</th>"
        + "<th>rows</th><th>next due</th></tr>\n");
    for (TableStatus t : tables) {
      html.append("<tr data-table=\"").append(escape(t.table())).append("\"><td>").append(tableLink(t.table().toString()))
          .append("</td><td class=\"time\">").append(Utc.text(t.lastImport())).append("</td><td class=\"num\">")
          .append(t.rows() == null ? "-" : t.rows()).append("</td><td class=\"time\">").append(escape(t.nextDueText()))
          .append(t.dag() == null ? "" : " <span class=\"muted\">(DAG " + escape(t.dag()) + ")</span>")
          .append("</td></tr>\n");
    }
    if (tables.isEmpty()) {
      html.append("<tr><td colspan=\"4\">No imported tables.</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  static void jobTable(StringBuilder html, List<CopyJob> jobs, int flagAfterAttempts) {
    html.append("<section><h2>Latest ").append(jobs.size()).append(" jobs</h2>\n<table id=\"jobs\"><tr><th>id</th>"
        + "<th>kind</th><th>table</th><th>destination</th><th>state</th><th>attempts</th><th>created</th>"
        + "<th>finished</th><th>last error</th></tr>\n");
    for (CopyJob j : jobs) {
      boolean flagged = j.flagged(flagAfterAttempts);
      html.append("<tr").append(flagged ? " class=\"flagged\"" : "").append(" data-job-id=\"").append(j.id())
          .append("\" data-state=\"").append(j.state()).append("\" data-kind=\"").append(j.kind()).append("\"><td>")
          .append(j.id()).append("</td><td>").append(j.kind()).append("</td><td>").append(tableLink(j.table().toString()))
          .append("</td><td>").append(escape(j.destination())).append("</td><td><span class=\"state-")
          .append(stateColour(j, flagged)).append("\">").append(j.state()).append("</span>")
          .append(flagged ? " <span class=\"badge\">flagged</span>" : "")
          .append("</td><td class=\"num\">").append(j.attempts()).append("</td><td class=\"time\">")
          .append(Utc.text(j.created())).append("</td><td class=\"time\">").append(Utc.text(j.finished())).append("</td><td");
      if (j.state() == CopyJobState.CANCELLED) {
        html.append(">cancelled by ").append(escape(j.cancelledBy()));
      } else if (j.lastError() != null) {
        html.append(" class=\"error\" title=\"").append(escape(j.lastError())).append("\">")
            .append(escape(shorten(j.lastError())));
      } else {
        html.append(">");
      }
      html.append("</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  static String stateColour(CopyJob j, boolean flagged) {
    if (flagged) {
      return "red";
    }
    if (j.state() == CopyJobState.DONE) {
      return "green";
    }
    return j.state().pending() ? "amber" : "muted";
  }

  static String tableLink(String table) {
    return "<a href=\"/tables/" + escape(table) + "\">" + escape(table) + "</a>";
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis((long) (s * 1000));
  }

  private static String shorten(String error) {
    String line = error.lines().findFirst().orElse("");
    return line.length() <= ERROR_CHARS ? line : line.substring(0, ERROR_CHARS - 1) + "…";
  }
}
