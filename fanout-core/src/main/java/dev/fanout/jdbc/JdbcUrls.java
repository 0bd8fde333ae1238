package dev.fanout.jdbc;

/** Shows a JDBC URL without any password it may carry, for messages and logs. */
public final class JdbcUrls {
  private JdbcUrls() {}

  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=****").replaceAll("//([^/@:]+):[^/@]*@", "//$1:****@");
  }
}
