package dev.fanout.failover;

import dev.fanout.replication.CopyJobReports;



import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.replication.Backoff;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobState;
import dev.fanout.server.FanoutServer;
import dev.fanout.server.ServerSettings;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.HdfsPerClass;
import dev.fanout.testing.SourceQueryLog;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole failover cycle: A (PostgreSQL metadata, a real in-process HDFS) imports from MariaDB and copies
 * to B (H2 metadata, a local directory) asynchronously; A fails over to B and goes down; B imports while
 * its copies back to A queue up; A returns, catches up and takes the tables back.
 */
class FailoverTest {
  @TempDir Path tmp;
  @RegisterExtension static final HdfsPerClass HDFS = new HdfsPerClass();
  private TestDatabase source;
  private TestDatabase metadataA;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30), qty INT, changed DATETIME(6))");
    addOrders(1, 1000, "2026-01-01");
    metadataA = TestDatabase.create(Kind.POSTGRES, tmp);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a = new FanoutCli(tmp.resolve("a"));
    Result init = a.runWithStdin(metadataA.password(), "init", "--metadata-url", metadataA.url(), "--metadata-user",
        metadataA.user(), "--metadata-password-stdin", "--cluster-name", "a", "--fs", HDFS.cluster().uri(), "--basedir",
        "/a-" + tmp.getFileName());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(a.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString(), "--remote-key-file",
        tmp.resolve("b/fanout.key").toString());
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "changed", "--etl", "merge",
        "--sessions", "1");
    a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b");
  }

  @AfterEach
  void tearDown() {
    source.close();
    metadataA.close();
  }

  private void addOrders(long from, long to, String day) {
    source.execute("INSERT INTO orders SELECT seq, CONCAT('item ', seq MOD 13), seq MOD 7, TIMESTAMP '" + day
        + " 00:00:00' FROM seq_" + from + "_to_" + to);
  }

  private void updateOrders(String where, int qty, String day) {
    source.execute("UPDATE orders SET qty = " + qty + ", changed = TIMESTAMP '" + day + " 00:00:00' WHERE " + where);
  }

  private static ServerSettings fast() {
    return ServerSettings.builder().port(0).poll(Duration.ofMillis(100)).lease(Duration.ofSeconds(5))
        .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1))).grace(Duration.ofSeconds(5)).build();
  }

  private static List<CopyJob> jobs(FanoutCli instance) {
    try (Instance i = Instance.open(new FanoutHome(instance.home()))) {
      return new CopyJobReports(i.transactions()).list(new CopyJobFilter(null, null, null, 1000));
    }
  }

  private static void await(FanoutCli instance, Predicate<List<CopyJob>> done, String what) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(90);
    while (!done.test(jobs(instance))) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " did not happen within 90 s: " + jobs(instance));
      }
      Thread.sleep(100);
    }
  }

  private static Predicate<List<CopyJob>> allDone(int n) {
    return jobs -> jobs.size() == n && jobs.stream().allMatch(j -> j.state() == CopyJobState.DONE);
  }

  @Test
  void failoverAndFailbackLoseNoIncrementAndReadNoneTwice() throws Exception {
    try (SourceQueryLog log = SourceQueryLog.start(source);
        Instance instanceA = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        Instance instanceB = Instance.open(new FanoutHome(b.home()), Cluster.defaultConfiguration(), false);
        FanoutServer serverA = FanoutServer.start(instanceA, fast());
        FanoutServer serverB = FanoutServer.start(instanceB, fast())) {
      a.ok("import", "--table", "sales.orders");
      await(a, allDone(1), "the first copy to b");
      b.ok("import", "--table", "sales.orders");

      assertThat(a.ok("failover", "--filter", "sales.*", "--to", "b", "--dry-run"))
          .contains("Would make b the importer of:").contains("sales.orders (watermark changed = 2026-01-01")
          .contains("Dry run: nothing changed.");
      assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     1");
      a.ok("dag", "add", "sales", "--filter", "sales.*", "--schedule", "@daily");
      assertThat(a.ok("failover", "--dag", "sales", "--to", "b")).contains("Failed over 1 table(s) to b.");
      assertThat(a.ok("failover", "--dag", "sales", "--to", "b")).contains("nothing changed");
      assertThat(a.ok("table", "show", "sales.orders")).contains("copy_slave:     1");
      assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     0");

      // A's data centre goes down; B imports three increments, its copies back to A queue up
      HDFS.cluster().stopNameNode();
      try {
        for (int round = 1; round <= 3; round++) {
          String day = "2026-02-0" + round;
          addOrders(1000 + round * 100L + 1, 1000 + round * 100L + 100, day);
          updateOrders("id MOD 50 = " + round, 10 + round, day);
          assertThat(b.ok("import", "--table", "sales.orders")).as("round " + round).contains("loaded");
        }
        assertThat(jobs(b)).hasSize(3).noneMatch(j -> j.state() == CopyJobState.DONE);
        Result early = a.run("failback", "--filter", "sales.*");
        assertThat(early.code()).isEqualTo(1);
        assertThat(early.err()).contains("Cannot switch now: 3 copy job(s) of sales.orders on b not done");
      } finally {
        HDFS.cluster().restartNameNode();
      }
      await(b, allDone(3), "the backlog to a to drain");

      assertThat(a.ok("failback", "--filter", "sales.*", "--wait")).contains("Loading the copies of sales.orders")
          .contains("Failed back 1 table(s) from b.");
      assertThat(a.ok("table", "show", "sales.orders")).contains("copy_slave:     0");
      assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     1");

      for (int round = 4; round <= 5; round++) {
        String day = "2026-02-0" + round;
        addOrders(1000 + round * 100L + 1, 1000 + round * 100L + 100, day);
        updateOrders("id MOD 50 = " + round, 10 + round, day);
        a.ok("import", "--table", "sales.orders");
        // A's rule to b allows no backlog: the next increment waits for this one's copy
        await(a, allDone(round - 2), "the copy to b of round " + round);
      }
      b.ok("import", "--table", "sales.orders");

      List<String> reads = log.dataReadStatements("orders");
      assertThat(reads).as("one read per import: 1 on A, 3 on B, 2 on A").hasSize(6).doesNotHaveDuplicates();
    }
    String verified = a.ok("verify", "--table", "sales.orders", "--source");
    assertThat(verified).contains("on a: 1500 rows").contains("on b: 1500 rows").contains("on source: 1500 rows")
        .contains("All 3 agree.");
  }

  @Test
  void badFailoverInputIsRefused() {
    a.ok("import", "--table", "sales.orders");
    Result self = a.run("failover", "--filter", "sales.*", "--to", "a");
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err()).contains("Cannot fail over to instance 'a': that is this instance.");

    Result noDag = a.run("failover", "--dag", "nightly", "--to", "b");
    assertThat(noDag.code()).isEqualTo(1);
    assertThat(noDag.err()).contains("Unknown DAG 'nightly'");

    Result notReplica = a.run("failover", "--filter", "sales.*", "--to", "b");
    assertThat(notReplica.code()).isEqualTo(1);
    assertThat(notReplica.err()).contains("Instance 'b' is not a replica of sales.orders");

    Result both = a.run("failover", "--dag", "x", "--filter", "sales.*", "--to", "b");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).contains("Give exactly one of --dag NAME and --filter PATTERNS.");

    Result pending = a.run("failover", "--filter", "sales.*", "--to", "nowhere");
    assertThat(pending.err()).contains("Unknown instance 'nowhere'");

    Result noFailover = a.run("failback", "--filter", "sales.*");
    assertThat(noFailover.code()).isEqualTo(1);
    assertThat(noFailover.err()).contains("No failover of sales.orders is recorded on this instance");
  }

  @Test
  void aFailoverRefusesWhileCopiesArePendingOrAnotherHoldsTheTables() throws Exception {
    a.ok("import", "--table", "sales.orders");
    Result first = a.run("failover", "--filter", "sales.*", "--to", "b");
    assertThat(first.err()).contains("not a replica of sales.orders").contains("copies to it are still pending");
    try (Instance instanceA = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instanceA, fast())) {
      await(a, allDone(1), "the copy to b");
    }
    b.ok("import", "--table", "sales.orders");

    addOrders(1001, 1100, "2026-02-01");
    a.ok("import", "--table", "sales.orders");
    Result queued = a.run("failover", "--filter", "sales.*", "--to", "b");
    assertThat(queued.code()).isEqualTo(1);
    assertThat(queued.err()).contains("Cannot switch now: 1 copy job(s) of sales.orders on a not done (job 2 to b, NEW");
    try (Instance instanceA = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instanceA, fast())) {
      await(a, allDone(2), "the second copy to b");
    }
    Result unloaded = a.run("failover", "--filter", "sales.*", "--to", "b");
    assertThat(unloaded.err()).contains("b has 1 copied import(s) of sales.orders not loaded yet");
    b.ok("import", "--table", "sales.orders");

    try (Instance instanceA = Instance.open(new FanoutHome(a.home()))) {
      String name = dev.fanout.lease.Lease.importOf(dev.fanout.metadata.TableName.parse("sales.orders"));
      var held = instanceA.leases().tryAcquire(name, "failover 1@elsewhere/abc", Duration.ofMinutes(1), h -> false);
      assertThat(held).isPresent();
      Result locked = a.run("failover", "--filter", "sales.*", "--to", "b");
      assertThat(locked.code()).isEqualTo(1);
      assertThat(locked.err()).contains("is locked by failover 1@elsewhere/abc")
          .contains("another failover of these tables, is under way");
      instanceA.leases().release(held.get());
    }
    assertThat(a.ok("failover", "--filter", "sales.*", "--to", "b")).contains("Failed over 1 table(s) to b.");
  }

  @Test
  void aFailoverThatStoppedBetweenItsTwoStepsIsCompletedByItsRerun() throws Exception {
    a.ok("import", "--table", "sales.orders");
    try (Instance instanceA = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instanceA, fast())) {
      await(a, allDone(1), "the copy to b");
    }
    b.ok("import", "--table", "sales.orders");

    // another writer holds b's row of the table, so the failover's second commit (on b) times out
    try (Instance instanceB = Instance.open(new FanoutHome(b.home()));
        Connection blocker = instanceB.metadata().dataSource().getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.executeUpdate("UPDATE import_tables SET copy_slave = copy_slave");
      }
      Result stopped = a.run("failover", "--filter", "sales.*", "--to", "b");
      assertThat(stopped.code()).isEqualTo(1);
      assertThat(stopped.err()).contains("The failover stopped halfway: a is a copy_slave of the tables now but b is not"
          + " their importer yet").contains("run the same 'fanout failover' again to complete it");
      blocker.rollback();
    }
    // halfway, nobody imports: no increment is read twice
    assertThat(a.ok("table", "show", "sales.orders")).contains("copy_slave:     1");
    assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     1");

    assertThat(a.ok("failover", "--filter", "sales.*", "--to", "b")).contains("Failed over 1 table(s) to b.");
    assertThat(b.ok("table", "show", "sales.orders")).contains("copy_slave:     0");
    addOrders(1001, 1100, "2026-02-01");
    try (SourceQueryLog log = SourceQueryLog.start(source)) {
      b.ok("import", "--table", "sales.orders");
      assertThat(log.dataReadStatements("orders")).as("b goes on from a's watermark").singleElement()
          .asString().contains("2026-01-01");
    }
    // a still waits for the copy back, so only b and the source are compared here
    Result verified = b.run("verify", "--table", "sales.orders", "--source");
    assertThat(verified.out()).contains("on b: 1100 rows").contains("on source: 1100 rows");
  }

  @Test
  void aMergeThatDeletesAndKeepsHistoryGoesOnWhereItWasOnTheInstanceThatTookOver() throws Exception {
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.audited",
        "--etl", "merge", "--deletes", "detect", "--history");
    try (Instance instanceA = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer serverA = FanoutServer.start(instanceA, fast())) {
      a.ok("import", "--table", "sales.audited");
      await(a, allDone(1), "the copy to b");
    }
    b.ok("import", "--table", "sales.audited");
    assertThat(a.ok("failover", "--filter", "sales.audited", "--to", "b")).contains("Failed over 1 table(s) to b.");
    assertThat(b.ok("table", "show", "sales.audited")).contains("deletes detect, history in sales.audited_history");

    source.execute("DELETE FROM orders WHERE id <= 10");
    updateOrders("id = 500", 99, "2026-03-01");
    assertThat(b.ok("import", "--table", "sales.audited")).contains("0 new, 1 changed, 10 deleted, 989 unchanged");

    List<List<Object>> history = dev.fanout.testing.LakeTables.rows(b.home(), "sales.audited_history");
    assertThat(history).hasSize(1011);
    assertThat(history.stream().filter(r -> "D".equals(r.get(r.size() - 2)))).hasSize(10);
    // a waits for the copy back, so only b and the source are compared here
    Result verified = b.run("verify", "--table", "sales.audited", "--source");
    assertThat(verified.out()).contains("on b: 990 rows").contains("on source: 990 rows");
  }
}
