package dev.fanout.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.schedule.AirflowFile.Task;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A imports from an H2 source and copies the sales tables to B; the 'sales' DAG is defined on A, copied to
 * B, and generated on both: on B each import waits in a sensor for its copy, on A nothing waits.
 */
class AirflowDagTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.H2, tmp);
    source.execute(
        "CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, ITEM VARCHAR(40))",
        "INSERT INTO ORDERS SELECT X, 'item ' || MOD(X, 13) FROM SYSTEM_RANGE(1, 100)",
        "CREATE TABLE CUSTOMERS (ID BIGINT PRIMARY KEY, NAME VARCHAR(40))",
        "INSERT INTO CUSTOMERS SELECT X, 'customer ' || X FROM SYSTEM_RANGE(1, 20)",
        "CREATE TABLE EMPLOYEES (ID BIGINT PRIMARY KEY, NAME VARCHAR(40))");
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = initRemote("b");
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.orders");
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.CUSTOMERS", "--target", "sales.customers");
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.EMPLOYEES", "--target", "hr.employees");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b", "--transfer", "sync");
    a.ok("dag", "add", "sales", "--filter", "sales.*", "--schedule", "0 2 * * *", "--pool", "etl", "--retries", "3");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  /** A second instance with its own H2 metadata and local cluster, registered on A. */
  private FanoutCli initRemote(String name) {
    FanoutCli remote = new FanoutCli(tmp.resolve(name));
    remote.ok("init", "--cluster-name", name, "--basedir", tmp.resolve(name + "/cluster").toString());
    a.ok("instance", "add", name, "--db-url", "jdbc:h2:file:" + tmp.resolve(name + "/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve(name + "/cluster").toString());
    return remote;
  }

  @Test
  void onTheCopyEachImportWaitsInASensorForItsCopy() throws Exception {
    assertThat(a.ok("copy", "dag", "--dag", "sales", "--destination", "b"))
        .contains("Copied DAG sales and 2 table(s) to instance b (copy_slave = 1)");
    assertThat(b.ok("dag", "show", "sales")).contains("schedule:  0 2 * * *", "pool:      etl", "retries:   3",
        "sales.customers  copy_slave", "sales.orders  copy_slave").doesNotContain("hr.employees");
    assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     1");

    Path dags = Files.createDirectory(tmp.resolve("airflow-dags"));
    assertThat(b.ok("airflow", "generate", "--dag", "sales", "--write", dags.toString(), "--fanout-command",
        "/opt/fanout/bin/fanout", "--poke-interval", "120", "--sensor-timeout", "2h"))
        .contains("2 import task(s), 2 sensor(s)");
    assertThat(dags.toFile().list()).as("no temp file left").containsExactly("sales.py");
    AirflowFile file = AirflowFile.read(dags.resolve("sales.py"));

    assertThat(file.dag()).containsEntry("dag_id", "sales").containsEntry("schedule_interval", "0 2 * * *")
        .containsEntry("catchup", false).containsEntry("max_active_runs", 1)
        .containsEntry("default_args", Map.of("retries", 3, "pool", "etl"));
    assertThat(file.imports()).contains("airflow.operators.bash.BashOperator", "airflow.sensors.bash.BashSensor");
    assertThat(file.tasks()).extracting(Task::taskId).containsExactlyInAnyOrder(
        "wait_sales__customers", "import_sales__customers", "wait_sales__orders", "import_sales__orders");
    assertThat(file.dependencies()).containsExactlyInAnyOrder(
        List.of("wait_sales__customers", "import_sales__customers"), List.of("wait_sales__orders", "import_sales__orders"));

    String fanout = "/opt/fanout/bin/fanout --home '" + tmp.resolve("b").toAbsolutePath() + "' ";
    assertThat(file.task("import_sales__orders")).isEqualTo(new Task("import_sales__orders", "BashOperator",
        "import_sales__orders", fanout + "import --table sales.orders", null, null, null));
    assertThat(file.task("wait_sales__orders")).isEqualTo(new Task("wait_sales__orders", "BashSensor",
        "wait_sales__orders", fanout + "wait --table sales.orders --newer-than '{{ data_interval_end }}'"
            + " --timeout 1s --interval 1s", "reschedule", 120, 7200));
  }

  @Test
  void theSensorsCommandPassesOnceTheCopyOfTheIntervalHasArrived() {
    a.ok("copy", "dag", "--dag", "sales", "--destination", "b");
    // Airflow renders {{ data_interval_end }} as an ISO time with an offset
    String intervalEnd = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)
        .toString().replace("Z", "+00:00");
    Result before = b.run("wait", "--table", "sales.orders", "--newer-than", intervalEnd, "--timeout", "1s", "--interval", "1s");
    assertThat(before.code()).as(before.err()).isEqualTo(1);

    a.ok("import", "--table", "sales.orders");
    assertThat(b.ok("wait", "--table", "sales.orders", "--newer-than", intervalEnd, "--timeout", "1s", "--interval", "1s"))
        .contains("copy_finished");
    assertThat(b.ok("import", "--table", "sales.orders")).contains("loaded 100 rows");
  }

  @Test
  void onTheMasterNothingWaits() throws Exception {
    Result printed = a.run("airflow", "generate", "--dag", "sales");
    assertThat(printed.code()).as(printed.err()).isZero();
    Path file = Files.writeString(tmp.resolve("sales.py"), printed.out());
    AirflowFile dag = AirflowFile.read(file);

    assertThat(dag.tasks()).extracting(Task::operator).containsOnly("BashOperator");
    assertThat(dag.tasks()).extracting(Task::taskId).containsExactlyInAnyOrder("import_sales__customers", "import_sales__orders");
    assertThat(dag.dependencies()).isEmpty();
    assertThat(dag.imports()).doesNotContain("airflow.sensors.bash.BashSensor");
    assertThat(dag.task("import_sales__orders").bashCommand())
        .isEqualTo("fanout --home '" + tmp.resolve("a").toAbsolutePath() + "' import --table sales.orders");
  }

  @Test
  void aTableNamedShOrBashStillRunsAsACommandNotAsATemplateFile() throws Exception {
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.ORDERS", "--target", "sales.sh");
    a.ok("table", "add", "--connection", "src", "--source", "PUBLIC.CUSTOMERS", "--target", "sales.bash");
    Result printed = a.run("airflow", "generate", "--dag", "sales");
    assertThat(printed.code()).as(printed.err()).isZero();
    AirflowFile dag = AirflowFile.read(Files.writeString(tmp.resolve("sales.py"), printed.out()));

    // Airflow loads a bash_command ending in .sh or .bash as a template file; the trailing space keeps it a command
    String home = tmp.resolve("a").toAbsolutePath().toString();
    assertThat(dag.task("import_sales__sh").bashCommand())
        .isEqualTo("fanout --home '" + home + "' import --table sales.sh ");
    assertThat(dag.task("import_sales__bash").bashCommand())
        .isEqualTo("fanout --home '" + home + "' import --table sales.bash ");
    assertThat(dag.task("import_sales__orders").bashCommand()).endsWith("import --table sales.orders");
  }

  @Test
  void noSlaveLeavesTheRemoteImportingFromTheSource() throws Exception {
    FanoutCli c = initRemote("c");
    Result asSlave = a.run("copy", "dag", "--dag", "sales", "--destination", "c");
    assertThat(asSlave.err()).contains("no copy rule sends sales.customers, sales.orders to instance 'c'");
    assertThat(c.ok("table", "show", "sales.orders")).contains("copy_slave:     1");

    Result copied = a.run("copy", "dag", "--dag", "sales", "--destination", "c", "--no-slave");
    assertThat(copied.code()).as(copied.err()).isZero();
    assertThat(copied.out()).contains("copy_slave = 0");
    assertThat(copied.err()).contains("without --sync-credentials");
    assertThat(c.ok("table", "show", "sales.orders")).contains("copy_slave:     0");

    Path dags = Files.createDirectory(tmp.resolve("dags-c"));
    c.ok("airflow", "generate", "--dag", "sales", "--write", dags.toString());
    assertThat(AirflowFile.read(dags.resolve("sales.py")).tasks()).extracting(Task::operator).containsOnly("BashOperator");
  }

  @Test
  void copyingAgainUpdatesTheRemoteDag() {
    a.ok("copy", "dag", "--dag", "sales", "--destination", "b");
    a.ok("dag", "remove", "sales");
    a.ok("dag", "add", "sales", "--filter", "sales.orders", "--schedule", "@hourly");
    assertThat(a.ok("copy", "dag", "--dag", "sales", "--destination", "b")).contains("1 table(s)");
    assertThat(b.ok("dag", "list")).contains("@hourly").contains("sales.orders");
  }

  @Test
  void badInputIsRefusedClearly() throws Exception {
    Result unknownDag = a.run("copy", "dag", "--dag", "nope", "--destination", "b");
    assertThat(unknownDag.code()).isEqualTo(1);
    assertThat(unknownDag.err()).contains("Unknown DAG 'nope'; 'fanout dag list' shows them.");

    Result unknownInstance = a.run("copy", "dag", "--dag", "sales", "--destination", "nowhere");
    assertThat(unknownInstance.code()).isEqualTo(1);
    assertThat(unknownInstance.err()).contains("Unknown instance 'nowhere'");

    a.ok("dag", "add", "empty", "--filter", "nothing.*");
    Result empty = a.run("copy", "dag", "--dag", "empty", "--destination", "b");
    assertThat(empty.code()).isZero();
    assertThat(empty.err()).contains("warning").contains("matches no configured table");
    Result emptyFile = b.run("airflow", "generate", "--dag", "empty");
    assertThat(emptyFile.code()).isZero();
    assertThat(emptyFile.err()).contains("has no tasks");
    assertThat(AirflowFile.read(Files.writeString(tmp.resolve("empty.py"), emptyFile.out())).tasks()).isEmpty();

    Result generateUnknown = b.run("airflow", "generate", "--dag", "nope");
    assertThat(generateUnknown.code()).isEqualTo(1);
    assertThat(generateUnknown.err()).contains("Unknown DAG 'nope'");
    Result notADirectory = a.run("airflow", "generate", "--dag", "sales", "--write", tmp.resolve("missing").toString());
    assertThat(notADirectory.code()).isEqualTo(1);
    assertThat(notADirectory.err()).contains("is not a directory");
    Result badInterval = a.run("airflow", "generate", "--dag", "sales", "--poke-interval", "soon");
    assertThat(badInterval.code()).isEqualTo(2);
    assertThat(badInterval.err()).contains("--poke-interval 'soon' is not a duration");
    Result shortTimeout = a.run("airflow", "generate", "--dag", "sales", "--poke-interval", "5m", "--sensor-timeout", "60");
    assertThat(shortTimeout.code()).isEqualTo(2);
    assertThat(shortTimeout.err()).contains("--sensor-timeout (60s) must be at least the poke interval (300s)");
    Result template = a.run("airflow", "generate", "--dag", "sales", "--fanout-command", "fanout {{ var.value.x }}");
    assertThat(template.code()).isEqualTo(1);
    assertThat(template.err()).contains("Airflow templates");
  }
}
