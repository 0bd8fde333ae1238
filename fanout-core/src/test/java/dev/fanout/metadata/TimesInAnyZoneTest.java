package dev.fanout.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The times an instance keeps in its metadata database (H2, MariaDB or PostgreSQL) are UTC instants, the
 * same whatever the JVM's zone: here New York, where 2026-03-08 02:00-03:00 does not exist and
 * 2026-11-01 01:00-02:00 happens twice.
 */
class TimesInAnyZoneTest {
  private static final TimeZone NEW_YORK = TimeZone.getTimeZone("America/New_York");
  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");
  private static final List<Instant> AROUND_DST = List.of(
      Instant.parse("2026-03-08T02:30:00.123456Z"),  // its UTC wall clock is in New York's gap
      Instant.parse("2026-11-01T01:30:00.123456Z"),  // its UTC wall clock is in New York's repeated hour
      Instant.parse("2026-11-01T05:30:00.123456Z"),  // 01:30 EDT
      Instant.parse("2026-11-01T06:30:00.123456Z")); // 01:30 EST
  @TempDir Path tmp;
  private TimeZone original;

  @BeforeEach
  void rememberZone() {
    original = TimeZone.getDefault();
  }

  @AfterEach
  void restoreZone() {
    TimeZone.setDefault(original);
  }

  /** An instance whose metadata is on {@code metadata}, or in its embedded H2 for null. */
  private static FanoutCli instance(Path home, TestDatabase metadata, String... more) {
    FanoutCli fanout = new FanoutCli(home);
    if (metadata == null) {
      fanout.ok(concat(List.of("init"), more));
    } else {
      Result init = fanout.runWithStdin(metadata.password(), concat(List.of("init", "--metadata-url", metadata.url(),
          "--metadata-user", metadata.user(), "--metadata-password-stdin"), more));
      assertThat(init.code()).as(init.err()).isZero();
    }
    return fanout;
  }

  private static String[] concat(List<String> head, String... tail) {
    return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toArray(String[]::new);
  }

  private static TestDatabase serverOrNull(Kind kind, Path tmp) {
    return kind == Kind.H2 ? null : TestDatabase.create(kind, tmp);
  }

  private static TestDatabase sourceWithOrders(Path tmp) {
    TestDatabase source = TestDatabase.create(Kind.H2, tmp);
    source.execute("CREATE TABLE orders (id INT PRIMARY KEY, item VARCHAR(10))", "INSERT INTO orders VALUES (1, 'a'), (2, 'b')");
    return source;
  }

  private static void addOrders(FanoutCli fanout, TestDatabase source) {
    fanout.ok("connection", "add", "src", "--url", source.url(), "--user", "sa");
    fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders");
  }

  /** What a copy stamps when it lands, through the same repository call. */
  private static void stampCopyFinished(Path home, Instant when) {
    try (Instance instance = Instance.open(new FanoutHome(home))) {
      instance.tables().markCopyFinished(instance.tables().require(TableName.parse("sales.orders")).id(), when);
    }
  }

  /** copy_finished as a person sees it with SQL in the metadata database. */
  private static String storedCopyFinished(Path home, TestDatabase metadata) throws SQLException {
    if (metadata == null) {
      try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(home)) {
        return String.valueOf(raw.query("SELECT CAST(copy_finished AS VARCHAR) FROM import_tables").get(0).get(0));
      }
    }
    String text = metadata.kind() == Kind.MARIADB ? "CHAR" : "VARCHAR";
    return String.valueOf(metadata.query("SELECT CAST(copy_finished AS " + text + ") FROM import_tables").get(0).get(0));
  }

  private static String utcWallClock(Instant t) {
    return DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static int waitFor(FanoutCli fanout, Instant newerThan) {
    return fanout.run("wait", "--table", "sales.orders", "--newer-than", newerThan.toString(), "--timeout", "0s").code();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void copyFinishedIsTheSameInEveryZone(Kind kind) throws SQLException {
    try (TestDatabase metadata = serverOrNull(kind, tmp); TestDatabase source = sourceWithOrders(tmp)) {
      FanoutCli fanout = instance(tmp.resolve("home"), metadata);
      addOrders(fanout, source);
      for (Instant finished : AROUND_DST) {
        TimeZone.setDefault(NEW_YORK);
        stampCopyFinished(fanout.home(), finished);

        assertThat(storedCopyFinished(fanout.home(), metadata)).as("stored").startsWith(utcWallClock(finished));
        for (TimeZone zone : List.of(NEW_YORK, UTC)) {
          TimeZone.setDefault(zone);
          assertThat(fanout.ok("table", "show", "sales.orders")).as(zone.getID())
              .contains("copy_finished:  " + finished + "\n");
          assertThat(waitFor(fanout, finished)).as("wait for " + finished + " in " + zone.getID()).isZero();
          assertThat(waitFor(fanout, finished.plusNanos(1000))).as("wait for after " + finished + " in " + zone.getID())
              .isEqualTo(1);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anImportAndItsCopyOnAHostInNewYorkRecordUtcTimes(Kind kind) throws SQLException {
    try (TestDatabase metadata = serverOrNull(kind, tmp); TestDatabase source = sourceWithOrders(tmp)) {
      TimeZone.setDefault(NEW_YORK);
      FanoutCli a = instance(tmp.resolve("a"), null);
      addOrders(a, source);
      FanoutCli c = instance(tmp.resolve("c"), metadata, "--cluster-name", "c");
      String cUrl = metadata == null ? "jdbc:h2:file:" + tmp.resolve("c/metadata/fanout") + ";AUTO_SERVER=TRUE" : metadata.url();
      // an embedded home on this host is added with the credentials it keeps
      Result added = metadata == null
          ? a.run("instance", "add", "c", "--db-url", cUrl, "--fs", "file:///", "--basedir",
              tmp.resolve("c/cluster").toString())
          : a.runWithStdin(metadata.password(), "instance", "add", "c", "--db-url", cUrl, "--user", metadata.user(),
              "--password-stdin", "--fs", "file:///", "--basedir", tmp.resolve("c/cluster").toString());
      assertThat(added.code()).as(added.err()).isZero();
      a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "c", "--transfer", "sync");

      Instant before = Instant.now();
      String imported = a.ok("import", "--table", "sales.orders");
      Instant after = Instant.now();

      assertThat(lastImportAt(a)).isBetween(before, after);
      Instant copied = copyFinished(c);
      assertThat(copied).isBetween(before, after);
      assertThat(storedCopyFinished(c.home(), metadata)).startsWith(utcWallClock(copied).substring(0, 19));
      // a scheduler's rendering of the time the copy landed, in UTC, is met
      String rendered = utcWallClock(before).substring(0, 19) + "+00:00";
      assertThat(c.run("wait", "--table", "sales.orders", "--newer-than", rendered, "--timeout", "0s").code())
          .as(imported).isZero();
    }
  }

  private static Instant lastImportAt(FanoutCli fanout) {
    Matcher m = Pattern.compile("last import: +\\S+ at (\\S+)").matcher(fanout.ok("table", "show", "sales.orders"));
    assertThat(m.find()).isTrue();
    return Instant.parse(m.group(1));
  }

  private static Instant copyFinished(FanoutCli fanout) {
    Matcher m = Pattern.compile("copy_finished: +(\\S+)").matcher(fanout.ok("table", "show", "sales.orders"));
    assertThat(m.find()).isTrue();
    return Instant.parse(m.group(1));
  }
}
