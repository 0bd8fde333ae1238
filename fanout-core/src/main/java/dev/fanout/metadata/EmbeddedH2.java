package dev.fanout.metadata;

import dev.fanout.failure.FanoutException;
import dev.fanout.jdbc.SqlErrors;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The embedded H2 metadata database of a Fanout home ({@code <home>/metadata/fanout}): its URL, its user
 * and password, and the one JVM-wide setting that keeps it private. AUTO_SERVER lets the server and the
 * CLI commands of one instance share the file through a TCP port; that port listens on the loopback
 * address only, and a client that finds it still needs the password kept (sealed) in the home.
 */
public final class EmbeddedH2 {
  /** The user {@code fanout init} creates; H2 upper-cases user names, so any case logs in. */
  public static final String USER = "fanout";
  public static final String DIRECTORY = "metadata";
  private static final String FILE = "fanout";
  private static final String PREFIX = "jdbc:h2:file:";
  private static final String LOOPBACK = "127.0.0.1";
  private static final String BIND_ADDRESS = "h2.bindAddress";
  private static final SecureRandom RANDOM = new SecureRandom();

  private EmbeddedH2() {}

  /** The URL of the embedded database of the home at {@code home}. */
  public static String url(Path home) {
    // AUTO_SERVER lets the server and CLI commands of one instance share the embedded database.
    return PREFIX + home.resolve(DIRECTORY).resolve(FILE) + ";AUTO_SERVER=TRUE";
  }

  /** The home whose embedded database {@code url} names; empty for any other URL. */
  public static Optional<Path> homeOf(String url) {
    if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    int options = url.indexOf(';');
    Path file = Path.of(url.substring(PREFIX.length(), options < 0 ? url.length() : options)).toAbsolutePath().normalize();
    Path dir = file.getParent();
    boolean embedded = file.getFileName().toString().equals(FILE) && dir != null
        && dir.getFileName().toString().equals(DIRECTORY) && dir.getParent() != null;
    return embedded ? Optional.of(dir.getParent()) : Optional.empty();
  }

  /** A new password: 256 random bits, in letters, digits, '-' and '_' (safe in a SQL literal). */
  public static String newPassword() {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * Makes H2's servers (AUTO_SERVER's among them) listen on 127.0.0.1 only. H2 reads the setting once, when
   * it starts in this JVM, so the launcher calls this first; a later call only checks that it took.
   */
  public static void bindToLoopback() {
    System.setProperty(BIND_ADDRESS, LOOPBACK);
    if (!LOOPBACK.equals(org.h2.engine.SysProperties.BIND_ADDRESS)) {
      throw new FanoutException("H2 started in this JVM before Fanout could bind it to " + LOOPBACK
          + "; start the JVM with -D" + BIND_ADDRESS + "=" + LOOPBACK + ".");
    }
  }

  /**
   * Gives a database made without a password (by an older Fanout) the user {@link #USER} with
   * {@code password}, and drops the user it had, so that only the home's sealed password opens it.
   */
  public static void setPassword(String url, String oldUser, String password) {
    String normalized = MetadataDatabase.normalizeUrl(url);
    bindToLoopback();
    boolean sameUser = USER.equalsIgnoreCase(oldUser);
    try (Connection c = DriverManager.getConnection(normalized, oldUser, ""); Statement s = c.createStatement()) {
      s.execute((sameUser ? "ALTER USER " + quotedUser() + " SET PASSWORD '" : "CREATE USER " + quotedUser() + " PASSWORD '")
          + password + "'" + (sameUser ? "" : " ADMIN"));
      if (!sameUser) {
        s.execute("DROP USER \"" + oldUser.toUpperCase(Locale.ROOT).replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new FanoutException("Cannot give the embedded metadata database " + url + " a password: "
          + SqlErrors.describe(e), e);
    }
  }

  private static String quotedUser() {
    return "\"" + USER.toUpperCase(Locale.ROOT) + "\"";
  }
}
