package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is one sentence on stderr, a non-zero exit, and nothing changed. */
class BadInputTest {
  @TempDir Path tmp;
  private TestDatabase db;
  private FanoutCli fanout;

  @BeforeEach
  void setUp() {
    db = TestDatabase.create(Kind.MARIADB, tmp);
    db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, note VARCHAR(20), placed DATE)",
        "INSERT INTO orders VALUES (1, 'a', DATE '2026-01-01'), (2, 'b', DATE '2026-01-02')");
    fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static void assertOneSentenceFailure(Result r, String... fragments) {
    assertThat(r.code()).as(r.err()).isNotZero();
    assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("fanout: ").doesNotContain("Exception");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  private Result addOrders(String... extra) {
    String[] base = {"table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders"};
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return fanout.run(all);
  }

  @Test
  void unknownConnectionOrTableIsNamed() {
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "nope", "--source", "x.y", "--target", "a.b"),
        "Unknown connection 'nope'");
    assertOneSentenceFailure(fanout.run("import", "--table", "sales.nothing"), "Unknown table sales.nothing");
    assertOneSentenceFailure(fanout.run("table", "show", "sales.nothing"), "Unknown table sales.nothing");
  }

  @Test
  void wrongPasswordIsRefusedAndNotStored() {
    Result r = fanout.runWithStdin("definitely-wrong", "connection", "add", "bad", "--url", db.url(), "--user",
        "fanout_no_such_user", "--password-stdin");
    assertOneSentenceFailure(r, "wrong user or password");
    assertThat(r.err()).doesNotContain("definitely-wrong");
    assertThat(fanout.ok("connection", "list")).doesNotContain("bad");
  }

  @Test
  void unreachableHostAndBadUrlAreClearErrors() {
    assertOneSentenceFailure(fanout.run("connection", "add", "far", "--url", "jdbc:mariadb://127.0.0.1:1/x", "--user", "u"),
        "cannot reach");
    assertOneSentenceFailure(fanout.run("connection", "add", "odd", "--url", "jdbc:nosuchdb://h/x"), "not supported");
    assertOneSentenceFailure(fanout.run("connection", "add", "odd2", "--url", "not a url"), "not supported");
    assertThat(fanout.ok("connection", "list")).doesNotContain("far").doesNotContain("odd");
  }

  @Test
  void missingHomeSaysHowToCreateIt() {
    Result r = new FanoutCli(tmp.resolve("no-such-home")).run("table", "list");
    assertOneSentenceFailure(r, "is not initialized", "init");
  }

  @Test
  void targetMustBeDbDotTable() {
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".orders",
        "--target", "orders"), "not of the form db.table");
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".orders",
        "--target", "a.b.c"), "not of the form db.table");
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".orders",
        "--target", "sales.9-x"), "not a valid db.table name");
  }

  @Test
  void splitColumnMustBeNumericOrDate() {
    assertOneSentenceFailure(addOrders("--split-by", "note", "--sessions", "2"), "Split column note", "numeric or date");
    assertOneSentenceFailure(addOrders("--split-by", "missing"), "Split column missing does not exist");
    assertThat(fanout.ok("table", "list")).doesNotContain("sales.orders");
    assertThat(addOrders("--split-by", "placed", "--sessions", "2").code()).isZero();
  }

  @Test
  void addingATableTwiceIsRefused() {
    assertThat(addOrders().code()).isZero();
    assertOneSentenceFailure(addOrders(), "already configured");
  }

  @Test
  void incrementalOptionsAreChecked() {
    assertOneSentenceFailure(addOrders("--import", "incr"), "needs --incr-column");
    assertOneSentenceFailure(addOrders("--import", "incr", "--incr-column", "note"), "must be a number, a date");
    assertOneSentenceFailure(addOrders("--import", "sometimes"), "Unknown import type 'sometimes'");
    assertOneSentenceFailure(addOrders("--import", "incr", "--incr-column", "id", "--etl", "truncate_insert"),
        "cannot use truncate_insert");
  }

  @Test
  void mergeWithoutAKeyIsRefused() {
    db.execute("CREATE TABLE keyless (a INT, b INT)");
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".keyless",
        "--target", "sales.keyless", "--etl", "merge"), "no primary key", "--pk");
    assertThat(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".keyless",
        "--target", "sales.keyless", "--etl", "merge", "--pk", "a").code()).isZero();
  }

  @Test
  void aSourceTableThatVanishedFailsTheImportAndKeepsTheLakeTable() {
    assertThat(addOrders().code()).isZero();
    fanout.ok("import", "--table", "sales.orders");
    db.execute("DROP TABLE orders");
    assertOneSentenceFailure(fanout.run("import", "--table", "sales.orders"), "does not exist in connection 'src'");
    assertThat(dev.fanout.testing.LakeTables.rows(fanout.home(), "sales.orders")).hasSize(2);
  }

  @Test
  void unknownSourceTableIsRefusedAtAdd() {
    assertOneSentenceFailure(fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".nope",
        "--target", "sales.nope"), "does not exist");
  }

  @Test
  void badCommandLineExitsTwo() {
    Result r = fanout.run("import");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--table");
  }
}
