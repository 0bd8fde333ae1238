package dev.fanout.server;

/**
 * The shell every page of the server shares: one self-contained HTML document with its style inline
 * (nothing fetched from elsewhere, no scripts), and escaping for every value that came from a user or a
 * remote system.
 */
final class Html {
  static final String RED = "#c62828";
  static final String AMBER = "#e68a00";
  static final String GREEN = "#2e7d32";

  private static final String STYLE = ""
      + "*{box-sizing:border-box}"
      + "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1f2328;"
      + "background:#f5f6f8;font-size:14px;line-height:1.4}"
      + "header{background:#1f2937;color:#fff;padding:.8em 1.5em;display:flex;align-items:center;gap:1.2em;"
      + "flex-wrap:wrap}header h1{font-size:1.25em;margin:0}header .who{color:#cbd5e1;flex:1}"
      + "header a{color:#fff}main{padding:1em 1.5em;max-width:1280px}"
      + "section{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:.8em 1.1em;margin-bottom:1.1em}"
      + "h2{font-size:1.05em;margin:.1em 0 .6em}"
      + "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #e5e8eb;padding:.3em .6em;"
      + "text-align:left;vertical-align:top}th{font-weight:600;color:#57606a;font-size:.9em;background:#fafbfc}"
      + "td.num{text-align:right;font-variant-numeric:tabular-nums}td.time{white-space:nowrap;"
      + "font-variant-numeric:tabular-nums}"
      + "tr.flagged{background:#fdecea}.badge{display:inline-block;font-size:.8em;font-weight:600;"
      + "padding:0 .45em;border-radius:9px;color:#fff;background:" + RED + "}"
      + ".state-red{color:" + RED + ";font-weight:600}.state-amber{color:" + AMBER + ";font-weight:600}"
      + ".state-green{color:" + GREEN + ";font-weight:600}.state-muted{color:#57606a}"
      + ".paused{color:#fff;background:" + RED + ";padding:0 .5em;border-radius:4px}"
      + ".error{font-family:ui-monospace,monospace;font-size:.9em;color:#8b1a1a;white-space:pre-wrap;"
      + "word-break:break-word}"
      + "#failing{border-left:5px solid " + RED + "}#failing.ok{border-left-color:" + GREEN + "}"
      + ".counts{display:flex;gap:.6em;flex-wrap:wrap}.count{border:1px solid #d8dee4;border-radius:6px;"
      + "padding:.3em .8em;min-width:6.5em}.count b{display:block;font-size:1.3em}"
      + "button{font:inherit;border-radius:5px;border:1px solid #8c959f;background:#f6f8fa;padding:.2em .8em;"
      + "cursor:pointer}button.retry{border-color:" + RED + ";color:" + RED + ";background:#fff}"
      + "header button{background:transparent;color:#fff;border-color:#94a3b8}"
      + "form.inline{display:inline;margin:0}.bar{vertical-align:middle;margin-right:.5em}"
      + ".muted{color:#57606a}.login{max-width:30em;margin:4em auto}"
      + ".login input[type=password]{width:100%;font:inherit;padding:.4em;margin:.4em 0 .8em;"
      + "border:1px solid #8c959f;border-radius:5px}.refusal{color:" + RED + ";font-weight:600}"
      + "svg text{font-family:inherit;font-size:11px;fill:#57606a}";

  private Html() {}

  /** The document around {@code body}; {@code refreshSeconds} 0: no reloading. */
  static String page(String title, int refreshSeconds, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + (refreshSeconds > 0 ? "<meta http-equiv=\"refresh\" content=\"" + refreshSeconds + "\">" : "")
        + "<title>" + escape(title) + "</title><style>" + STYLE + "</style></head><body>\n" + body
        + "</body></html>\n";
  }

  /** A page with one sentence: a refusal or a failure, and the way back. */
  static String message(String title, String sentence) {
    return page(title, 0, "<header><h1>Fanout</h1></header><main><section><h2>" + escape(title) + "</h2><p id=\"message\">"
        + escape(sentence) + "</p><p><a href=\"/\">Back to the status page</a></p></section></main>\n");
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
