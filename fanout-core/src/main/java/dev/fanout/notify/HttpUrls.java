package dev.fanout.notify;

import dev.fanout.failure.FanoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP URLs notifications go to: only http:// and https:// with a host, and shown without their
 * credentials (a password in the user info, any query value: tokens travel under many names), the way
 * {@code JdbcUrls.redact} shows JDBC URLs.
 */
public final class HttpUrls {
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)([^/@?#]*)@");
  private static final Pattern QUERY_VALUE = Pattern.compile("([?&][^=&#]*)=[^&#]*");

  private HttpUrls() {}

  /** The URL as a URI; a FanoutException (one sentence, the URL redacted) for anything else. */
  public static URI parse(String url) {
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, in the same sentence
    }
    throw new FanoutException("'" + redact(url) + "' is not an http:// or https:// URL with a host.");
  }

  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    Matcher m = USER_INFO.matcher(url);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String info = m.group(1);
      int colon = info.indexOf(':');
      // a user name alone may be a token (https://TOKEN@host), so only user:password keeps its user
      m.appendReplacement(out, Matcher.quoteReplacement(colon > 0 ? info.substring(0, colon) + ":****@" : "****@"));
    }
    m.appendTail(out);
    return QUERY_VALUE.matcher(out).replaceAll("$1=****");
  }
}
