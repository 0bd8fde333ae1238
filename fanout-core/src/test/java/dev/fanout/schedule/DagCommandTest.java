package dev.fanout.schedule;

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

/** DAG definitions: the groups of tables a scheduler imports together, kept in airflow_dags. */
class DagCommandTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli fanout;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.H2, tmp);
    source.execute("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY)", "CREATE TABLE CUSTOMERS (ID BIGINT PRIMARY KEY)",
        "CREATE TABLE EMPLOYEES (ID BIGINT PRIMARY KEY)");
    fanout = new FanoutCli(tmp.resolve("home")).initWithSource(source);
    fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders");
    fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.CUSTOMERS", "--target", "sales.customers");
    fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.EMPLOYEES", "--target", "hr.employees");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  @Test
  void aDagIsAddedListedShownAndRemoved() {
    assertThat(fanout.ok("dag", "add", "sales", "--filter", "sales.*", "--pool", "etl", "--retries", "2"))
        .contains("Added DAG sales: sales.*, schedule @daily, matching 2 table(s) now");
    fanout.ok("dag", "add", "nightly.hr", "--filter", "hr.*;sales.orders", "--schedule", "30 1 * * MON-FRI");
    fanout.ok("dag", "add", "manual", "--filter", "hr.employees", "--schedule", "none");

    assertThat(fanout.ok("dag", "list").lines()).containsSubsequence(
        "DAG                      SCHEDULE         POOL         RETRIES TABLES FILTER",
        "manual                   none             -            0       1      hr.employees",
        "nightly.hr               30 1 * * MON-FRI -            0       2      hr.*;sales.orders",
        "sales                    @daily           etl          2       2      sales.*");
    assertThat(fanout.ok("dag", "show", "nightly.hr")).contains("filter:    hr.*;sales.orders", "tables:    2",
        "  hr.employees  imports from src", "  sales.orders  imports from src").doesNotContain("customers");

    assertThat(fanout.ok("dag", "remove", "sales")).contains("Removed DAG sales");
    assertThat(fanout.ok("dag", "list")).doesNotContain("sales.*");
    assertThat(fanout.ok("table", "list")).contains("sales.orders");
  }

  @Test
  void aFilterMatchingNothingIsAWarning() {
    Result added = fanout.run("dag", "add", "later", "--filter", "finance.*");
    assertThat(added.code()).isZero();
    assertThat(added.err()).contains("warning: filter 'finance.*' matches no configured table yet");
    assertThat(fanout.run("dag", "show", "later").err()).contains("matches no configured table");
  }

  @Test
  void badDefinitionsAreRefusedClearly() {
    assertRefused(1, "Unknown DAG 'nope'; 'fanout dag list' shows them.", "dag", "show", "nope");
    assertRefused(1, "Unknown DAG 'nope'; 'fanout dag list' shows them.", "dag", "remove", "nope");
    assertRefused(1, "Unknown DAG 'nope'", "airflow", "generate", "--dag", "nope");
    assertRefused(2, "Schedule 'daily' is not a cron expression", "dag", "add", "d", "--filter", "sales.*",
        "--schedule", "daily");
    assertRefused(2, "Schedule '@fortnightly' is not an Airflow preset", "dag", "add", "d", "--filter", "sales.*",
        "--schedule", "@fortnightly");
    assertRefused(2, "Schedule '0 2 * *' is not a cron expression", "dag", "add", "d", "--filter", "sales.*",
        "--schedule", "0 2 * *");
    assertRefused(2, "--retries must be between 0 and 100, not -1", "dag", "add", "d", "--filter", "sales.*",
        "--retries", "-1");
    assertRefused(2, "'many' is not an int", "dag", "add", "d", "--filter", "sales.*", "--retries", "many");
    assertRefused(2, "Pool 'my pool' is not a valid Airflow pool name", "dag", "add", "d", "--filter", "sales.*",
        "--pool", "my pool");
    assertRefused(2, "DAG name '../d' is not valid", "dag", "add", "../d", "--filter", "sales.*");
    assertRefused(1, "Filter pattern 'sales' is not of the form db.table", "dag", "add", "d", "--filter", "sales");
    assertThat(fanout.ok("dag", "list").lines()).hasSize(1);

    fanout.ok("dag", "add", "d", "--filter", "sales.*");
    assertRefused(1, "DAG 'd' already exists; remove it first to change it.", "dag", "add", "d", "--filter", "hr.*");
  }

  @Test
  void everyScheduleAirflowAcceptsIsKept() {
    String[] accepted = {"*/15 9-17 * * MON-FRI", "0 0 L * *", "0 0 15W * *", "0 12 * * 5#2", "0 0 1,15 JAN-MAR 0-7",
        "59 23 31 12 SUN", "0 0 * * * 30"};
    for (int i = 0; i < accepted.length; i++) {
      fanout.ok("dag", "add", "d" + i, "--filter", "sales.*", "--schedule", accepted[i]);
      assertThat(fanout.ok("dag", "show", "d" + i)).contains(accepted[i]);
    }
  }

  private void assertRefused(int code, String message, String... args) {
    Result r = fanout.run(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(code);
    assertThat(r.err()).contains(message);
  }
}
