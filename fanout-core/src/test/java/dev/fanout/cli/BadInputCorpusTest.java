package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad input is one sentence and changes nothing: each command line below is refused with its exit code
 * (2 for a value no run could accept, 1 for a refusal that depends on what is configured), one line on
 * stderr without a stack trace, and the metadata of both instances and the files of their homes are as
 * they were before.
 *
 * <p>The instances: A (this home, "local") imports sales.orders from MariaDB, copies sales.* to B, mirrors
 * sales.* to C and still has a copy job for D; B imports hr.staff itself. A also knows a PostgreSQL source
 * with an orders table in two schemas, and the MariaDB schema has order-line and order_line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a server or a wait that starts by mistake would block here
class BadInputCorpusTest {
  private static final int USAGE = 2;
  private static final int REFUSED = 1;
  private static final String SERVER = "server --port 0";
  private static final String WAIT = "wait --table sales.orders --newer-than 2026-01-01T00:00:00Z";
  private static final String AIRFLOW = "airflow generate --dag nightly";
  private static final String DAG = "dag add d --filter sales.*";
  private static final String TABLE = "table add --connection src --source {mariadb}.orders --target sales.other";
  private static final String INSTANCE = "instance add e --db-url {e-db} --fs file:/// --basedir {tmp}/e/cluster";

  @TempDir static Path tmp;
  private TestDatabase mariadb;
  private TestDatabase postgres;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeAll
  void setUp() {
    mariadb = TestDatabase.create(Kind.MARIADB, tmp);
    mariadb.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(20))",
        "INSERT INTO orders VALUES (1, 'a'), (2, 'b')",
        "CREATE TABLE `order-line` (id INT PRIMARY KEY)", "CREATE TABLE order_line (id INT PRIMARY KEY)");
    postgres = TestDatabase.create(Kind.POSTGRES, tmp);
    postgres.execute("CREATE TABLE orders (id INT PRIMARY KEY)", "CREATE SCHEMA other",
        "CREATE TABLE other.orders (id INT PRIMARY KEY)");

    b = remote("b").initWithSource(mariadb);
    b.ok("table", "add", "--connection", "src", "--source", mariadb.schema() + ".orders", "--target", "hr.staff");
    remote("c").ok("init", "--cluster-name", "c");
    remote("d").ok("init", "--cluster-name", "d");
    remote("e").ok("init", "--cluster-name", "e");

    a = new FanoutCli(tmp.resolve("a")).initWithSource(mariadb);
    assertThat(a.runWithStdin(postgres.password(), "connection", "add", "pg", "--url", postgres.url(), "--user",
        postgres.user(), "--password-stdin").code()).isZero();
    a.ok("table", "add", "--connection", "src", "--source", mariadb.schema() + ".orders", "--target", "sales.orders");
    for (String name : List.of("b", "c", "d")) {
      a.ok(expand("instance add " + name + " --db-url {" + name + "-db} --fs file:/// --basedir {tmp}/" + name + "/cluster"));
    }
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b");
    a.ok("mirror-rule", "add", "--filter", "sales.*", "--to", "c");
    // a copy job for D that outlives its rule
    String ruleForD = a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "d")
        .replaceAll("(?s)^Added copy rule (\\d+):.*", "$1");
    a.ok("import", "--table", "sales.orders");
    a.ok("copy-rule", "remove", ruleForD);
    a.ok("dag", "add", "nightly", "--filter", "sales.*");
  }

  @AfterAll
  void tearDown() {
    mariadb.close();
    postgres.close();
  }

  static Stream<Named<Case>> corpus() {
    return Stream.of(
        // the copy server's numbers and durations
        usage(SERVER.replace("0", "-1"), "--port must be between 0 and 65535, not -1"),
        usage(SERVER.replace("0", "65536"), "--port must be between 0 and 65535, not 65536"),
        usage(SERVER.replace("0", "99999999999"), "'99999999999' is not an int"),
        usage(SERVER + " --workers 0", "--workers must be between 1 and 256, not 0"),
        usage(SERVER + " --workers 257", "--workers must be between 1 and 256, not 257"),
        usage(SERVER + " --poll 0ms", "--poll must be between 10ms and 1h, not 0ms"),
        usage(SERVER + " --poll 2h", "--poll must be between 10ms and 1h, not 2h"),
        usage(SERVER + " --poll soon", "--poll 'soon' is not a duration"),
        usage(SERVER + " --poll 500", "--poll '500' is not a duration"),
        usage(SERVER + " --lease 0s", "--lease must be between 1s and 1d, not 0s"),
        usage(SERVER + " --lease 2d", "--lease must be between 1s and 1d, not 2d"),
        usage(SERVER + " --retry-base 0s", "--retry-base must be between 1ms and 1d, not 0s"),
        usage(SERVER + " --retry-base 2d", "--retry-base must be between 1ms and 1d, not 2d"),
        usage(SERVER + " --retry-cap 8d", "--retry-cap must be between 1ms and 7d, not 8d"),
        usage(SERVER + " --retry-base 20m --retry-cap 10m", "--retry-base must not be above --retry-cap"),
        usage(SERVER + " --flag-after 0", "--flag-after must be between 1 and 1000, not 0"),
        usage(SERVER + " --flag-after 1001", "--flag-after must be between 1 and 1000, not 1001"),
        usage(SERVER + " --grace 25h", "--grace must be between 0s and 1d, not 25h"),
        usage(SERVER + " --grace -1s", "--grace '-1s' is not a duration"),
        usage("demo --port 70000", "--port must be between 0 and 65535, not 70000"),
        // waiting, tokens, listing
        usage(WAIT + " --interval 0ms", "--interval must be between 10ms and 1d, not 0ms"),
        usage(WAIT + " --interval 2d", "--interval must be between 10ms and 1d, not 2d"),
        usage(WAIT + " --interval PT-1S", "--interval 'PT-1S' is not a duration"),
        usage(WAIT + " --timeout 31d", "--timeout must be between 0s and 30d, not 31d"),
        usage(WAIT + " --timeout forever", "--timeout 'forever' is not a duration"),
        usage("token create --valid-for 0s", "--valid-for must be between 1h and 3650d, not 0s"),
        usage("token create --valid-for 30m", "--valid-for must be between 1h and 3650d, not 30m"),
        usage("token create --valid-for 3651d", "--valid-for must be between 1h and 3650d, not 3651d"),
        usage("token create --valid-for 1y", "--valid-for '1y' is not a duration"),
        usage("jobs --limit 0", "--limit must be between 1 and 100000, not 0"),
        usage("jobs --limit -5", "--limit must be between 1 and 100000, not -5"),
        usage("jobs --limit 100001", "--limit must be between 1 and 100000, not 100001"),
        usage("jobs --limit 1e3", "'1e3' is not an int"),
        usage("status --flag-after 0", "--flag-after must be between 1 and 1000, not 0"),
        usage("verify --table sales.orders --threads 0", "--threads must be between 1 and 64, not 0"),
        usage("verify --table sales.orders --threads 65", "--threads must be between 1 and 64, not 65"),
        usage("failover --to b --filter sales.* --timeout 31d", "--timeout must be between 0s and 30d, not 31d"),
        usage("failback --filter sales.* --timeout soon", "--timeout 'soon' is not a duration"),
        // Airflow DAG files
        usage(AIRFLOW + " --poke-interval 0", "--poke-interval must be between 1s and 1d, not 0"),
        usage(AIRFLOW + " --poke-interval 2d", "--poke-interval must be between 1s and 1d, not 2d"),
        usage(AIRFLOW + " --poke-interval soon", "--poke-interval 'soon' is not a duration"),
        usage(AIRFLOW + " --sensor-timeout 0", "--sensor-timeout must be between 1s and 30d, not 0"),
        usage(AIRFLOW + " --sensor-timeout 31d", "--sensor-timeout must be between 1s and 30d, not 31d"),
        usage(AIRFLOW + " --poke-interval 600 --sensor-timeout 60", "--sensor-timeout (60s) must be at least the poke"),
        usage(DAG + " --retries -1", "--retries must be between 0 and 100, not -1"),
        usage(DAG + " --retries 101", "--retries must be between 0 and 100, not 101"),
        usage(DAG + " --retries many", "'many' is not an int"),
        // schedules Airflow would reject
        usage(DAG + " --schedule '60 * * * *'", "its minute field '60' is not within 0-59"),
        usage(DAG + " --schedule '0-60 * * * *'", "its minute field '0-60' is not within 0-59"),
        usage(DAG + " --schedule '0 24 * * *'", "its hour field '24' is not within 0-23"),
        usage(DAG + " --schedule '0 0 0 * *'", "its day of month field '0' is not within 1-31"),
        usage(DAG + " --schedule '0 0 32 * *'", "its day of month field '32' is not within 1-31"),
        usage(DAG + " --schedule '0 0 * 13 *'", "its month field '13' is not within 1-12 or JAN-DEC"),
        usage(DAG + " --schedule '0 0 * JANUARY *'", "its month field 'JANUARY' is not within 1-12"),
        usage(DAG + " --schedule '0 0 * * 8'", "its day of week field '8' is not within 0-7 or SUN-SAT"),
        usage(DAG + " --schedule '0 0 * * MON-FUN'", "its day of week field 'MON-FUN' is not within 0-7"),
        usage(DAG + " --schedule '*/0 * * * *'", "its minute field '*/0' is not within 0-59"),
        usage(DAG + " --schedule '0 0 * *'", "Schedule '0 0 * *' is not a cron expression"),
        usage(DAG + " --schedule '0 0 * * * * *'", "Schedule '0 0 * * * * *' is not a cron expression"),
        usage(DAG + " --schedule @fortnightly", "Schedule '@fortnightly' is not an Airflow preset"),
        usage(DAG + " --schedule daily", "Schedule 'daily' is not a cron expression"),
        // tables and connections
        usage(TABLE + " --sessions 0", "--sessions must be between 1 and 256, not 0"),
        usage(TABLE + " --sessions 257", "--sessions must be between 1 and 256, not 257"),
        usage(TABLE + " --validate-diff -1", "--validate-diff must be at least 0, not -1"),
        usage(TABLE + " --etl upsert", "Unknown ETL mode 'upsert'"),
        usage(TABLE + " --time-as clock", "Unknown --time-as 'clock'; use one of: string, time."),
        usage(TABLE + " --history", "--deletes and --history of sales.other work with a merge: add --etl merge."),
        usage(TABLE + " --etl merge --deletes maybe", "Unknown delete handling 'maybe'"),
        usage(TABLE + " --import incr", "An incremental import of sales.other needs --incr-column."),
        usage("connection add x --url jdbc:mariadb://127.0.0.1:3306/x --max-sessions 0",
            "--max-sessions must be between 1 and 256, not 0"),
        usage("connection add x --url jdbc:mariadb://127.0.0.1:3306/x --max-sessions 1000",
            "--max-sessions must be between 1 and 256, not 1000"),
        refused("table add --connection pg --source orders --target pg.orders",
            "Source table orders exists in schemas {postgres} and other of connection 'pg'; name it with its schema"),
        refused("table discover --connection src --schema {mariadb}",
            "Source tables order-line and order_line would both become {mariadb}.order_line; nothing was added"),
        // instances
        usage(INSTANCE + " --bandwidth 0", "--bandwidth '0' is not a size"),
        usage(INSTANCE + " --bandwidth 500", "--bandwidth must be between 1K and 1024G, not 500"),
        usage(INSTANCE + " --bandwidth 2048G", "--bandwidth must be between 1K and 1024G, not 2048G"),
        usage(INSTANCE + " --bandwidth 5MB", "--bandwidth '5MB' is not a size"),
        refused(INSTANCE.replace("add e", "add local"), "Instance 'local' is this instance itself"),
        refused(INSTANCE.replace("{e-db}", "{a-db}"), "is this instance's own metadata database"),
        refused("instance remove b", "Instance 'b' is still named by 1 copy rule(s)"),
        refused("instance remove c", "Instance 'c' is still named by 1 mirror rule(s)"),
        refused("instance remove d", "Instance 'd' is still named by 1 unfinished copy job(s)"),
        refused("copy-rule add --filter hr.staff --destination b", "Instance 'b' imports hr.staff itself"),
        refused("copy-rule add --filter hr.* --destination b", "Instance 'b' imports hr.staff itself"),
        refused("copy-rule add --filter *.* --destination b --transfer sync", "Instance 'b' imports hr.staff itself"),
        refused("mirror-rule add --filter hr.staff --to b", "Instance 'b' imports hr.staff itself"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void aBadInputIsOneSentenceAndChangesNothing(Case bad) {
    Map<String, String> before = snapshot();
    Result r = a.run(expand(bad.commandLine()));

    assertThat(r.code()).as(r.err()).isEqualTo(bad.code());
    assertThat(r.err()).as("one sentence").startsWith("fanout: ").endsWith("\n").hasLineCount(1)
        .doesNotContain("Exception").doesNotContain("\tat ").contains(fill(bad.message()));
    assertThat(snapshot()).as("metadata and home files").isEqualTo(before);
  }

  private record Case(String commandLine, int code, String message) {}

  private static Named<Case> usage(String commandLine, String message) {
    return Named.of(commandLine + " -> 2", new Case(commandLine, USAGE, message));
  }

  private static Named<Case> refused(String commandLine, String message) {
    return Named.of(commandLine + " -> 1", new Case(commandLine, REFUSED, message));
  }

  /** Splits a command line as a shell would ('...' quotes), filling in the fixture's names and paths. */
  private String[] expand(String commandLine) {
    String text = fill(commandLine);
    List<String> words = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(text);
    while (m.find()) {
      words.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return words.toArray(String[]::new);
  }

  /** The fixture's names and paths in place of {mariadb}, {postgres}, {tmp} and {a-db} (an instance's database). */
  private String fill(String text) {
    String out = text.replace("{mariadb}", mariadb.schema()).replace("{postgres}", postgres.schema())
        .replace("{tmp}", tmp.toString());
    for (String name : List.of("a", "b", "c", "d", "e")) {
      out = out.replace("{" + name + "-db}", "jdbc:h2:file:" + tmp.resolve(name + "/metadata/fanout") + ";AUTO_SERVER=TRUE");
    }
    return out;
  }

  private FanoutCli remote(String name) {
    return new FanoutCli(tmp.resolve(name));
  }

  /** Every metadata row of every instance, and every file of every home (the H2 files by their rows). */
  private Map<String, String> snapshot() {
    Map<String, String> out = new TreeMap<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      Path home = tmp.resolve(name);
      try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(home)) {
        for (List<Object> table : raw.query("SELECT table_name FROM information_schema.tables"
            + " WHERE table_schema = 'public' ORDER BY table_name")) {
          out.put(name + ":" + table.get(0), raw.query("SELECT * FROM \"" + table.get(0) + "\"").stream()
              .map(String::valueOf).sorted().toList().toString());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      try (Stream<Path> files = Files.walk(home)) {
        files.filter(Files::isRegularFile).filter(f -> !f.startsWith(home.resolve("metadata")))
            .forEach(f -> out.put(name + ":" + home.relativize(f), digest(f)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static String digest(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
