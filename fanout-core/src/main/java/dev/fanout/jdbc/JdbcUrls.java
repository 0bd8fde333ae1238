package dev.fanout.jdbc;

import java.util.regex.Pattern;

/** Shows a JDBC URL without any password it may carry, for messages and logs; tells whether it carries one. */
public final class JdbcUrls {
  /** {@code password=} / {@code pwd=} as a URL or driver property, in any case. */
  private static final Pattern PASSWORD_PROPERTY = Pattern.compile("(?i)(^|[;?&:/])\\s*(password|pwd)\\s*=");
  /** {@code //user:secret@host}. */
  private static final Pattern USER_INFO = Pattern.compile("//[^/@?;]*:[^/@?;]*@");
  /** Oracle's thin form, {@code jdbc:oracle:thin:user/secret@host}. */
  private static final Pattern ORACLE_USER = Pattern.compile("(?i)^jdbc:oracle:[a-z0-9]+:[^@/:]+/[^@]+@");

  private JdbcUrls() {}

  /** Whether the URL holds a password in any of the forms drivers accept. */
  public static boolean carriesPassword(String url) {
    return url != null && (PASSWORD_PROPERTY.matcher(url).find() || USER_INFO.matcher(url).find()
        || ORACLE_USER.matcher(url).find());
  }

  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?i)(password|pwd)(\\s*)=[^&;]*", "$1$2=****").replaceAll("//([^/@:]+):[^/@]*@", "//$1:****@")
        .replaceAll("(?i)^(jdbc:oracle:[a-z0-9]+:[^@/:]+)/[^@]+@", "$1/****@");
  }
}
