package dev.fanout.metadata;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fanout.failure.FanoutException;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.jdbc.SqlErrors;
import dev.fanout.jdbc.JdbcUrls;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The instance's metadata database: a small connection pool and the versioned schema (Flyway). One
 * set of migrations serves H2, MariaDB/MySQL and PostgreSQL; the few vendor differences are
 * placeholders.
 */
public final class MetadataDatabase implements AutoCloseable {
  /** The newest migration in db/migration; another instance's database must be at least at it. */
  public static final int SCHEMA_VERSION = 14;
  private final HikariDataSource dataSource;
  private final Vendor vendor;
  private final String url;
  private final String user;
  private final String password;

  public enum Vendor {
    H2("BIGINT AUTO_INCREMENT PRIMARY KEY", "TIMESTAMP(6)"),
    MYSQL("BIGINT AUTO_INCREMENT PRIMARY KEY", "DATETIME(6)"),
    POSTGRESQL("BIGSERIAL PRIMARY KEY", "TIMESTAMP(6)");

    final String identity;
    final String timestamp;

    Vendor(String identity, String timestamp) {
      this.identity = identity;
      this.timestamp = timestamp;
    }

    static Vendor of(String url) {
      if (url.startsWith("jdbc:h2:")) {
        return H2;
      } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
        return MYSQL;
      } else if (url.startsWith("jdbc:postgresql:")) {
        return POSTGRESQL;
      }
      throw new FanoutException(
          "Metadata database URL '" + url + "' is not supported; use jdbc:h2:, jdbc:mariadb:, jdbc:mysql: or jdbc:postgresql:.");
    }
  }

  private MetadataDatabase(String url, String user, String password, int poolSize) {
    this.vendor = Vendor.of(url);
    if (vendor == Vendor.H2) {
      EmbeddedH2.bindToLoopback();
    }
    this.url = normalizeUrl(url);
    this.user = user;
    this.password = password;
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(this.url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    // H2 closes an embedded database when its last connection closes; a commit racing the reopen was seen
    // lost (H2 2.3, several threads in one JVM), so the pool always keeps one connection to an H2 file
    config.setMinimumIdle(Vendor.of(url) == Vendor.H2 ? 1 : 0);
    config.setPoolName("fanout-metadata");
    config.setConnectionTimeout(15_000);
    config.setInitializationFailTimeout(-1);
    this.dataSource = new HikariDataSource(config);
  }

  /**
   * The URL every process uses for a metadata database. Iceberg's JdbcCatalog looks its columns up in
   * lower case; H2 folds identifiers to upper case unless told not to.
   */
  public static String normalizeUrl(String url) {
    if (Vendor.of(url) != Vendor.H2) {
      return url;
    }
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    String out = upper.contains("DATABASE_TO_LOWER") ? url : url + ";DATABASE_TO_LOWER=TRUE";
    // A commit is in the file when it returns, not up to half a second later: a killed process loses no
    // recorded import, and the next process to open the file sees every commit.
    return upper.contains("WRITE_DELAY") ? out : out + ";WRITE_DELAY=0";
  }

  /** What an opening checks of the schema. */
  public enum SchemaCheck {
    /** Brings the schema to the current version (a command of this instance). */
    MIGRATE,
    /**
     * Refuses any other version: a long-running server never changes the schema under other processes,
     * and another instance's database, written to from here, is never migrated from here.
     */
    EXACT
  }

  /** Opens the database and brings its schema to the current version. */
  public static MetadataDatabase open(String url, String user, String password) {
    return open(url, user, password, SchemaCheck.MIGRATE);
  }

  /**
   * Opens the database; with {@code migrate} false (a long-running server), refuses a schema other than
   * this Fanout's instead of changing it under the other processes that use it.
   */
  public static MetadataDatabase open(String url, String user, String password, boolean migrate) {
    return open(url, user, password, migrate ? SchemaCheck.MIGRATE : SchemaCheck.EXACT);
  }

  public static MetadataDatabase open(String url, String user, String password, SchemaCheck check) {
    EmbeddedHost.requireRunning(url);
    MetadataDatabase db = new MetadataDatabase(url, user, password, check == SchemaCheck.MIGRATE ? 4 : 8);
    try (Connection c = db.dataSource.getConnection()) {
      switch (check) {
        // Flyway's scan and validation cost about a second of every short command; one query says
        // whether there is anything for it to do
        case MIGRATE -> {
          if (schemaVersion(c) != SCHEMA_VERSION) {
            db.migrate();
          }
        }
        case EXACT -> requireCurrent(c, JdbcUrls.redact(url));
      }
      return db;
    } catch (SQLException e) {
      db.close();
      throw new FanoutException("Cannot open the metadata database " + JdbcUrls.redact(url) + ": " + SqlErrors.describe(e), e);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private void migrate() {
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .placeholders(Map.of("identity", vendor.identity, "timestamp", vendor.timestamp))
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new FanoutException("The metadata database " + JdbcUrls.redact(url) + " could not be brought to the current schema: "
          + e.getMessage().lines().findFirst().orElse("migration failed"), e);
    }
  }

  private static void requireCurrent(Connection c, String url) {
    int version = schemaVersion(c);
    if (version < SCHEMA_VERSION) {
      throw new NeedsPersonException("The metadata database " + url + " is at schema version " + version
          + " and this Fanout needs version " + SCHEMA_VERSION + "; run 'fanout upgrade' once (it migrates the"
          + " schema in place), then start again.");
    }
    if (version > SCHEMA_VERSION) {
      throw new NeedsPersonException("The metadata database " + url + " is at schema version " + version
          + ", newer than this Fanout's " + SCHEMA_VERSION + "; run the Fanout release that upgraded it.");
    }
  }

  /** The highest schema version Flyway applied to a database; 0 for a database Fanout never initialized. */
  public static int schemaVersion(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM flyway_schema_history WHERE success = TRUE");
        ResultSet rs = ps.executeQuery()) {
      int max = 0;
      while (rs.next()) {
        String v = rs.getString(1);
        if (v != null && v.matches("\\d+")) {
          max = Math.max(max, Integer.parseInt(v));
        }
      }
      return max;
    } catch (SQLException e) {
      return 0;
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Vendor vendor() {
    return vendor;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /** The password in clear, for the Iceberg catalog that shares this database; never print it. */
  public String password() {
    return password;
  }

  public Connection connection() {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new FanoutException("Cannot reach the metadata database " + JdbcUrls.redact(url) + ": " + SqlErrors.describe(e), e);
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
