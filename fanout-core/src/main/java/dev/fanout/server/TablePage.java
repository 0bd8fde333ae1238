package dev.fanout.server;

import static dev.fanout.server.Html.escape;

import dev.fanout.metadata.ImportStatistics;
import dev.fanout.replication.CopyJob;
import dev.fanout.status.StatusReport;
import dev.fanout.status.TableHistory;
import dev.fanout.status.Utc;
import dev.fanout.verify.VerifyResult;
import java.time.Duration;

/** One table's page: its imports, its copy jobs and its verifies over time, newest first. */
final class TablePage {
  private TablePage() {}

  static String render(ServerStatus server, TableHistory h, StatusReport report, String csrf) {
    StringBuilder html = new StringBuilder(8192);
    StatusPage.header(html, server.owner(), csrf);
    String path = "/tables/" + h.table();
    html.append("<main>\n<p><a href=\"/\">← status</a></p><h2 id=\"table-name\" style=\"font-size:1.4em\">")
        .append(escape(h.table())).append("</h2>\n");
    if (h.empty()) {
      html.append("<section><p id=\"nothing\">Nothing has happened to ").append(escape(h.table()))
          .append(" here yet: no import, no copy job, no verify.</p></section>\n");
    }
    imports(html, h);
    copies(html, h, report.flagAfterAttempts(), csrf, path);
    verifies(html, h);
    html.append("</main>\n");
    return Html.page(h.table() + " - Fanout", StatusPage.REFRESH_SECONDS, html.toString());
  }

  private static void imports(StringBuilder html, TableHistory h) {
    html.append("<section><h2>Imports</h2>\n<table id=\"imports\"><tr><th>import</th><th>type</th><th>started</th>"
        + "<th>finished</th><th>took</th><th>source rows</th><th>loaded rows</th><th>rows in the lake</th></tr>\n");
    for (ImportStatistics s : h.imports()) {
      html.append("<tr data-import-id=\"").append(escape(s.importId())).append("\"><td>").append(escape(s.importId()))
          .append("</td><td>").append(escape(s.importType())).append("</td><td class=\"time\">").append(Utc.text(s.start()))
          .append("</td><td class=\"time\">").append(Utc.text(s.stop())).append("</td><td class=\"num\">")
          .append(s.start() == null || s.stop() == null ? "-" : Utc.duration(Duration.between(s.start(), s.stop())))
          .append("</td><td class=\"num\">").append(s.sourceRows()).append("</td><td class=\"num\">").append(s.loadedRows())
          .append("</td><td class=\"num\">").append(s.lakeRows()).append("</td></tr>\n");
    }
    if (h.imports().isEmpty()) {
      html.append("<tr><td colspan=\"8\">No import of this table here.</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  private static void copies(StringBuilder html, TableHistory h, int flagAfterAttempts, String csrf, String back) {
    html.append("<section><h2>Copies</h2>\n<table id=\"copies\"><tr><th>job</th><th>kind</th><th>to</th><th>state</th>"
        + "<th>tries</th><th>created</th><th>finished</th><th>bytes</th><th>last error</th><th></th></tr>\n");
    for (CopyJob j : h.copies()) {
      boolean flagged = j.flagged(flagAfterAttempts);
      boolean failing = j.state().pending() && j.lastError() != null;
      html.append("<tr data-job-id=\"").append(j.id()).append("\" data-state=\"").append(j.state()).append("\"")
          .append(flagged ? " class=\"flagged\"" : "").append("><td class=\"num\">").append(j.id()).append("</td><td>")
          .append(j.kind()).append("</td><td>").append(escape(j.destination())).append("</td><td><span class=\"state-")
          .append(StatusPage.stateColour(j, flagged)).append("\">").append(j.state()).append("</span>")
          .append(flagged ? " <span class=\"badge\">flagged</span>" : "").append("</td><td class=\"num\">")
          .append(j.attempts()).append("</td><td class=\"time\">").append(Utc.text(j.created()))
          .append("</td><td class=\"time\">").append(Utc.text(j.finished())).append("</td><td class=\"num\">")
          .append(j.bytesCopied()).append("</td><td class=\"error\">")
          .append(escape(j.lastError() == null ? "" : j.lastError().lines().findFirst().orElse(""))).append("</td><td>")
          .append(failing || j.state() == dev.fanout.replication.CopyJobState.FLAGGED
              ? StatusPage.retryButton(j.id(), csrf, back) : "")
          .append("</td></tr>\n");
    }
    if (h.copies().isEmpty()) {
      html.append("<tr><td colspan=\"10\">No copy job for this table.</td></tr>\n");
    }
    html.append("</table></section>\n");
  }

  private static void verifies(StringBuilder html, TableHistory h) {
    html.append("<section><h2>Verifies</h2>\n<table id=\"verifies\"><tr><th>when</th><th>instances</th>"
        + "<th>source</th><th>outcome</th><th>rows</th><th>differences</th></tr>\n");
    for (VerifyResult v : h.verifies()) {
      html.append("<tr data-outcome=\"").append(v.agree() ? "agree" : "differ").append("\"><td class=\"time\">")
          .append(Utc.text(v.verified())).append("</td><td>").append(escape(String.join(", ", v.instances())))
          .append("</td><td>").append(v.withSource() ? "yes" : "no").append("</td><td><span class=\"state-")
          .append(v.agree() ? "green\">agree" : "red\">differ").append("</span></td><td>").append(escape(v.rowCounts()))
          .append("</td><td class=\"error\">").append(escape(v.differences() == null ? "" : v.differences()))
          .append("</td></tr>\n");
    }
    if (h.verifies().isEmpty()) {
      html.append("<tr><td colspan=\"6\">Not verified yet ('fanout verify --table ").append(escape(h.table()))
          .append("').</td></tr>\n");
    }
    html.append("</table></section>\n");
  }
}
