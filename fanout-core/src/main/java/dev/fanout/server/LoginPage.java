package dev.fanout.server;

import static dev.fanout.server.Html.escape;

/**
 * The form that opens a session on the status page: the token is typed (or pasted) once and sent in a
 * POST body, so it never lands in a URL, the browser's history or a proxy's log.
 */
final class LoginPage {
  private LoginPage() {}

  /** @param refusal why the last token was refused, or null */
  static String render(String refusal) {
    StringBuilder html = new StringBuilder(2048);
    html.append("<header><h1>Fanout</h1></header><main><section class=\"login\"><h2>Log in to the status page</h2>\n");
    if (refusal != null) {
      html.append("<p id=\"refusal\" class=\"refusal\">").append(escape(refusal)).append("</p>\n");
    }
    html.append("<form id=\"login\" method=\"post\" action=\"/login\"><label for=\"token\">API token</label>")
        .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\" required autofocus>")
        .append("<button type=\"submit\">Log in</button></form>\n")
        .append("<p class=\"muted\">Paste the contents of the file 'fanout token create' wrote. The browser keeps")
        .append(" only a session cookie, for at most 12 hours.</p></section></main>\n");
    return Html.page("Fanout: log in", 0, html.toString());
  }
}
