package dev.fanout.server;

import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.TableLag;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's status page: one self-contained HTML page, rendered on the server (it works with
 * JavaScript off and needs nothing from the network), reloading itself every 5 seconds. Every value is
 * escaped: table names, destinations and error messages come from users and remote systems.
 */
final class StatusPage {
  private static final int ERROR_CHARS = 200;
  private static final String STYLE = "body{font-family:sans-serif;margin:1.5em;color:#222}"
      + "table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;"
      + "text-align:left;vertical-align:top}th{background:#f0f0f0}td.num{text-align:right}"
      + "tr.flagged{background:#fde2e1}.paused{color:#b00;font-weight:bold}.badge{font-weight:bold;color:#b00}";

  private StatusPage() {}

  static String render(ServerStatus status, boolean paused, Map<CopyJobState, Integer> counts, List<TableLag> lag,
      List<CopyJob> jobs) {
    StringBuilder html = new StringBuilder(8192);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\">")
        .append("<title>Fanout server ").append(escape(status.owner())).append("</title>")
        .append("<style>").append(STYLE).append("</style></head><body>\n<h1>Fanout copy queue</h1>\n");
    summary(html, status, paused, counts);
    lagTable(html, lag);
    jobTable(html, jobs, status.flagAfterAttempts());
    return html.append("</body></html>\n").toString();
  }

  private static void summary(StringBuilder html, ServerStatus status, boolean paused,
      Map<CopyJobState, Integer> counts) {
    html.append("<section id=\"summary\"><p>Server <b>").append(escape(status.owner())).append("</b>, up since ")
        .append(escape(status.startedAt())).append(", ").append(status.running()).append(" of ")
        .append(status.workers()).append(" workers copying. Copies are ")
        .append(paused ? "<span class=\"paused\">paused</span>" : "<span class=\"running\">running</span>")
        .append(".</p>\n<table><tr>");
    for (CopyJobState state : CopyJobState.values()) {
      html.append("<th>").append(state).append("</th>");
    }
    html.append("</tr><tr>");
    for (CopyJobState state : CopyJobState.values()) {
      html.append("<td class=\"num\" data-count=\"").append(state).append("\">")
          .append(counts.getOrDefault(state, 0)).append("</td>");
    }
    html.append("</tr></table></section>\n");
  }

  private static void lagTable(StringBuilder html, List<TableLag> lag) {
    html.append("<h2>Lag per table and destination</h2>\n<table id=\"lag\"><tr><th>table</th><th>destination</th>"
        + "<th>lag seconds</th><th>pending</th><th>failing</th><th>copy_finished</th></tr>\n");
    for (TableLag l : lag) {
      html.append("<tr data-table=\"").append(escape(l.table())).append("\" data-destination=\"")
          .append(escape(l.destination())).append("\"><td>").append(escape(l.table())).append("</td><td>")
          .append(escape(l.destination())).append("</td><td class=\"num\">")
          .append(String.format(Locale.ROOT, "%.0f", l.lagSeconds())).append("</td><td class=\"num\">")
          .append(l.pendingJobs()).append("</td><td class=\"num\">").append(l.failingJobs()).append("</td><td>")
          .append(l.copyFinished() == null ? "-" : escape(l.copyFinished())).append("</td></tr>\n");
    }
    if (lag.isEmpty()) {
      html.append("<tr><td colspan=\"6\">No copy jobs yet.</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void jobTable(StringBuilder html, List<CopyJob> jobs, int flagAfterAttempts) {
    html.append("<h2>Latest ").append(jobs.size()).append(" jobs</h2>\n<table id=\"jobs\"><tr><th>id</th>"
        + "<th>kind</th><th>table</th><th>destination</th><th>state</th><th>attempts</th><th>last error</th></tr>\n");
    for (CopyJob j : jobs) {
      boolean flagged = j.flagged(flagAfterAttempts);
      html.append("<tr").append(flagged ? " class=\"flagged\"" : "").append(" data-job-id=\"").append(j.id())
          .append("\" data-state=\"").append(j.state()).append("\" data-kind=\"").append(j.kind()).append("\"><td>")
          .append(j.id()).append("</td><td>").append(j.kind()).append("</td><td>").append(escape(j.table()))
          .append("</td><td>").append(escape(j.destination())).append("</td><td>")
          .append(j.state()).append(flagged ? " <span class=\"badge\">flagged</span>" : "")
          .append("</td><td class=\"num\">").append(j.attempts()).append("</td><td");
      if (j.state() == CopyJobState.CANCELLED) {
        html.append(">cancelled by ").append(escape(j.cancelledBy()));
      } else if (j.lastError() != null) {
        html.append(" title=\"").append(escape(j.lastError())).append("\">").append(escape(shorten(j.lastError())));
      } else {
        html.append(">");
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static String shorten(String error) {
    String line = error.lines().findFirst().orElse("");
    return line.length() <= ERROR_CHARS ? line : line.substring(0, ERROR_CHARS - 1) + "…";
  }

  /** HTML-escapes a value for text and for double-quoted attributes. */
  static String escape(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
