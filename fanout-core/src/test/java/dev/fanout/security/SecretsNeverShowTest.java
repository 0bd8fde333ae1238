package dev.fanout.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full run with a known password, the source's and the metadata database's: imports, copies, lists,
 * status, verify, failures, and URLs that try to carry the password. Its every output, every log line
 * (at debug, with stack traces), every metadata row and every file of the instances' homes is searched
 * for the password: it is found nowhere.
 */
class SecretsNeverShowTest {
  private static final String SECRET = "Sesame-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String USER = "fanout_secret_" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path tmp;
  private TestDatabase source;
  private TestDatabase metadataA;
  private final StringBuilder seen = new StringBuilder();
  private final CapturingAppender log = new CapturingAppender();
  private Level oldLevel;

  /** Every log event, formatted with its stack trace. */
  private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    final StringBuffer text = new StringBuffer();

    @Override
    protected void append(ILoggingEvent e) {
      text.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        text.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
  }

  @BeforeEach
  void setUp() {
    Logger fanout = (Logger) LoggerFactory.getLogger("dev.fanout");
    oldLevel = fanout.getLevel();
    fanout.setLevel(Level.DEBUG);
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30))",
        "INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    for (String host : List.of("%", "localhost", "127.0.0.1")) {
      source.execute("CREATE USER '" + USER + "'@'" + host + "' IDENTIFIED BY '" + SECRET + "'",
          "GRANT ALL ON " + source.schema() + ".* TO '" + USER + "'@'" + host + "'");
    }
    metadataA = TestDatabase.create(Kind.POSTGRES, tmp);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    ((Logger) LoggerFactory.getLogger("dev.fanout")).setLevel(oldLevel);
    for (String host : List.of("%", "localhost", "127.0.0.1")) {
      source.execute("DROP USER IF EXISTS '" + USER + "'@'" + host + "'");
    }
    source.close();
    metadataA.close();
  }

  private Result run(FanoutCli cli, String stdin, String... args) {
    Result r = stdin == null ? cli.run(args) : cli.runWithStdin(stdin, args);
    seen.append(r.out()).append('\n').append(r.err()).append('\n');
    return r;
  }

  private String ok(FanoutCli cli, String stdin, String... args) {
    Result r = run(cli, stdin, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r.out();
  }

  private Result refused(FanoutCli cli, String stdin, String... args) {
    Result r = run(cli, stdin, args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.out() + r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    return r;
  }

  @Test
  void aFullRunWithAKnownPasswordShowsItInNoOutputLogLineMetadataRowOrFile() throws Exception {
    FanoutCli a = new FanoutCli(tmp.resolve("a"));
    ok(a, SECRET, "init", "--metadata-url", metadataA.url(), "--metadata-user", metadataA.user(),
        "--metadata-password-stdin", "--cluster-name", "a");
    ok(a, SECRET, "connection", "add", "src", "--url", source.url(), "--user", USER, "--password-stdin");
    FanoutCli b = new FanoutCli(tmp.resolve("b"));
    ok(b, null, "init", "--cluster-name", "b");
    ok(a, null, "instance", "add", "b", "--db-url", "jdbc:h2:file:" + b.home().resolve("metadata/fanout")
        + ";AUTO_SERVER=TRUE", "--fs", "file:///", "--basedir", b.home().resolve("cluster").toString());
    ok(a, null, "table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target",
        "sales.orders");
    ok(a, null, "copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "sync");
    assertThat(ok(a, null, "import", "--table", "sales.orders")).contains("loaded 3 rows");
    ok(b, null, "import", "--table", "sales.orders");
    ok(a, null, "verify", "--table", "sales.orders", "--source");
    for (String[] look : List.of(new String[] {"connection", "list"}, new String[] {"instance", "list"},
        new String[] {"table", "show", "sales.orders"}, new String[] {"jobs"}, new String[] {"status"})) {
      run(a, null, look);
    }

    // URLs that carry the password are refused, with the password redacted, and change nothing
    assertThat(refused(a, null, "connection", "add", "leak1", "--url", source.url() + "?user=" + USER + "&Password="
        + SECRET).err()).contains("--url carries a password").contains("--password-stdin");
    refused(a, null, "connection", "add", "leak2", "--url", "jdbc:mariadb://" + USER + ":" + SECRET + "@127.0.0.1:3306/"
        + source.schema());
    refused(a, null, "connection", "add", "leak3", "--url", source.url() + "?PWD=" + SECRET);
    refused(a, null, "instance", "add", "leak4", "--db-url", "jdbc:h2:file:" + tmp.resolve("x") + ";PASSWORD=" + SECRET,
        "--fs", "file:///", "--basedir", tmp.resolve("x").toString());
    FanoutCli c = new FanoutCli(tmp.resolve("c"));
    assertThat(refused(c, null, "init", "--metadata-url", metadataA.url() + "&password=" + SECRET).err())
        .contains("--metadata-password-stdin");
    assertThat(new FanoutHome(c.home()).isInitialized()).isFalse();
    assertThat(ok(a, null, "connection", "list")).doesNotContain("leak");
    assertThat(ok(a, null, "instance", "list")).doesNotContain("leak");

    // a source that no longer accepts the password: the failure is reported, the password is not
    source.execute("ALTER USER '" + USER + "'@'%' IDENTIFIED BY 'changed-" + SECRET.hashCode() + "'",
        "ALTER USER '" + USER + "'@'localhost' IDENTIFIED BY 'changed'",
        "ALTER USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY 'changed'");
    assertThat(run(a, null, "import", "--table", "sales.orders").code()).isEqualTo(1);
    // a metadata database that cannot be opened names its URL, redacted
    assertThat(run(new FanoutCli(tmp.resolve("nowhere")), null, "init", "--metadata-url",
        "jdbc:postgresql://127.0.0.1:1/none").code()).isNotZero();

    assertThat(seen.toString()).as("command output").doesNotContain(SECRET);
    assertThat(log.text.toString()).as("log at debug").isNotEmpty().doesNotContain(SECRET);
    assertThat(metadataRows(Instance.open(new FanoutHome(a.home())))).as("a's metadata rows").isNotEmpty()
        .doesNotContain(SECRET);
    assertThat(metadataRows(Instance.open(new FanoutHome(b.home())))).as("b's metadata rows").isNotEmpty()
        .doesNotContain(SECRET);
    for (Path file : files(tmp.resolve("a"), tmp.resolve("b"), tmp.resolve("c"))) {
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
          .doesNotContain(SECRET);
    }
  }

  /** Every row of every table of an instance's metadata database, as text. */
  private static String metadataRows(Instance instance) {
    try (instance) {
      return instance.transactions().run("reading every table", c -> {
        StringBuilder out = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
          while (rs.next()) {
            tables.add(rs.getString("TABLE_NAME"));
          }
        }
        for (String table : tables) {
          try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= columns; i++) {
                out.append(rs.getString(i)).append('|');
              }
              out.append('\n');
            }
          }
        }
        return out.toString();
      });
    }
  }

  private static List<Path> files(Path... roots) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path root : roots) {
      if (Files.exists(root)) {
        try (Stream<Path> walk = Files.walk(root)) {
          walk.filter(Files::isRegularFile).forEach(out::add);
        }
      }
    }
    return out;
  }
}
