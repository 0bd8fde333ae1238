package dev.fanout.server;

import static dev.fanout.server.AsyncClusters.allDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.replication.Backoff;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobState;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.HdfsPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous copies through a server running in this JVM: delivery, outages, order, the incremental guard. */
class AsyncCopyTest {
  @TempDir Path tmp;
  @RegisterExtension static final HdfsPerClass HDFS = new HdfsPerClass();
  private AsyncClusters clusters;

  @BeforeEach
  void setUp() {
    clusters = new AsyncClusters(tmp, HDFS.cluster());
  }

  @AfterEach
  void tearDown() {
    clusters.close();
  }

  private static ServerSettings fast() {
    return ServerSettings.builder().port(0).workers(4).poll(Duration.ofMillis(100)).lease(Duration.ofSeconds(3))
        .backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1))).flagAfterAttempts(3)
        .grace(Duration.ofSeconds(5)).build();
  }

  /** Runs a server of instance A in this JVM while {@code work} runs. */
  private void withServer(ThrowingRunnable work) throws Exception {
    try (Instance instance = Instance.open(new FanoutHome(clusters.a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, fast())) {
      work.run();
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void asyncImportLoadsHereAndTheServerDeliversItToTheRemote() throws Exception {
    clusters.incrementalTable("orders", 1000);
    clusters.a.ok("copy-rule", "add", "--filter", "sales.*", "--destination", "b");
    Instant beforeImport = Instant.now();
    assertThat(clusters.a.ok("import", "--table", "sales.orders")).contains("Queued the copy").contains("loaded 1000 rows");
    assertThat(clusters.jobs()).singleElement().extracting(CopyJob::state).isEqualTo(CopyJobState.NEW);

    withServer(() -> clusters.awaitJobs(allDone(1), Duration.ofSeconds(30)));

    assertThat(clusters.b.ok("table", "show", "sales.orders")).contains("copy_slave:     1");
    assertThat(clusters.b.ok("wait", "--table", "sales.orders", "--newer-than", beforeImport.toString(), "--timeout", "1s"))
        .contains("copy_finished");
    clusters.b.ok("import", "--table", "sales.orders");
    assertThat(AsyncClusters.rows(clusters.b, "sales.orders")).isEqualTo(AsyncClusters.rows(clusters.a, "sales.orders"))
        .hasSize(1000);
    assertThat(stagingLeftOnA()).as("manifests kept for pending copies are removed when the copies are done").isEmpty();
  }

  @Test
  void aMergeThatDeletesAndKeepsHistoryArrivesAsynchronouslyAsTheSameTableAndHistory() throws Exception {
    clusters.fullTable("stock", 500);
    clusters.a.ok("table", "add", "--connection", "src", "--source", clusters.source.schema() + ".stock", "--target",
        "sales.stock_merged", "--etl", "merge", "--deletes", "detect", "--history");
    clusters.a.ok("copy-rule", "add", "--filter", "sales.stock_merged", "--destination", "b");
    clusters.a.ok("import", "--table", "sales.stock_merged");
    clusters.source.execute("DELETE FROM stock WHERE id <= 10", "UPDATE stock SET qty = 100 WHERE id = 400");
    assertThat(clusters.a.ok("import", "--table", "sales.stock_merged")).contains("0 new, 1 changed, 10 deleted");

    withServer(() -> clusters.awaitJobs(allDone(2), Duration.ofSeconds(60)));
    clusters.b.ok("import", "--table", "sales.stock_merged");

    assertThat(AsyncClusters.rows(clusters.b, "sales.stock_merged"))
        .isEqualTo(AsyncClusters.rows(clusters.a, "sales.stock_merged")).hasSize(490);
    List<String> historyA = AsyncClusters.rows(clusters.a, "sales.stock_merged_history").stream().map(Object::toString).sorted().toList();
    assertThat(AsyncClusters.rows(clusters.b, "sales.stock_merged_history").stream().map(Object::toString).sorted().toList())
        .isEqualTo(historyA).hasSize(511);
    assertThat(stagingLeftOnA()).as("the staged files a comparing merge leaves in place go when the copies are done").isEmpty();
  }

  @Test
  void aRunningServerStartsTheCopyWithinASecondOfTheLoad() throws Exception {
    clusters.incrementalTable("orders", 100);
    clusters.a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    try (Instance instance = Instance.open(new FanoutHome(clusters.a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, ServerSettings.builder().port(0).build())) {
      clusters.a.ok("import", "--table", "sales.orders");
      Instant loaded = Instant.now();
      CopyJob job = clusters.awaitJobs(allDone(1), Duration.ofSeconds(30)).get(0);
      assertThat(Duration.between(loaded, job.started())).as("default poll interval").isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void destinationDownMeansRetriesAndARefusedIncrementThenEverythingArrivesInOrder() throws Exception {
    clusters.incrementalTable("orders", 1000);
    clusters.a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    withServer(() -> {
      clusters.a.ok("import", "--table", "sales.orders");
      clusters.awaitJobs(allDone(1), Duration.ofSeconds(30));

      HDFS.cluster().stopNameNode();
      try {
        clusters.addRows("orders", 1001, 1500);
        clusters.a.ok("import", "--table", "sales.orders");
        List<CopyJob> failing = clusters.awaitJobs(
            jobs -> jobs.stream().anyMatch(j -> j.attempts() >= 3 && j.state() == CopyJobState.FAILED),
            Duration.ofSeconds(60));
        CopyJob stuck = failing.stream().filter(j -> j.state() == CopyJobState.FAILED).findFirst().orElseThrow();
        assertThat(stuck.lastError()).isNotBlank();

        clusters.addRows("orders", 1501, 1600);
        Result refused = clusters.a.run("import", "--table", "sales.orders");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("Incremental import of sales.orders refused")
            .contains("to instance b").contains("job " + stuck.id()).contains("attempts").contains("last error")
            .contains("Nothing was read from the source");
        // between its tries (fast back-off here) the job is FAILED; while a try runs, RUNNING
        String row = stuck.id() + " ";
        String failedJobs = clusters.a.ok("jobs", "--state", "failed");
        for (int i = 0; i < 100 && failedJobs.lines().noneMatch(l -> l.startsWith(row)); i++) {
          Thread.sleep(50);
          failedJobs = clusters.a.ok("jobs", "--state", "failed");
        }
        assertThat(failedJobs.lines()).anyMatch(l -> l.startsWith(row));
      } finally {
        HDFS.cluster().restartNameNode();
      }
      clusters.awaitJobs(allDone(2), Duration.ofSeconds(60));
      assertThat(clusters.a.ok("import", "--table", "sales.orders")).contains("loaded 100 rows; table has 1600");
      clusters.awaitJobs(allDone(3), Duration.ofSeconds(30));
    });
    String loads = clusters.b.ok("import", "--table", "sales.orders");
    assertThat(loads.indexOf("loaded 1000 rows")).isLessThan(loads.indexOf("loaded 500 rows"));
    assertThat(loads.indexOf("loaded 500 rows")).isLessThan(loads.indexOf("loaded 100 rows"));
    assertThat(AsyncClusters.rows(clusters.b, "sales.orders")).isEqualTo(AsyncClusters.rows(clusters.a, "sales.orders"))
        .hasSize(1600);
  }

  @Test
  void aFullImportIsNotHeldBackByPendingCopiesAndTheRemoteLoadsOnlyTheNewest() throws Exception {
    clusters.source.execute("CREATE TABLE prices (id BIGINT PRIMARY KEY, item VARCHAR(40), qty INT)");
    clusters.addRows("prices", 1, 300);
    clusters.a.ok("table", "add", "--connection", "src", "--source", clusters.source.schema() + ".prices", "--target",
        "sales.prices");
    clusters.a.ok("copy-rule", "add", "--filter", "sales.prices", "--destination", "b");
    clusters.a.ok("import", "--table", "sales.prices");
    clusters.addRows("prices", 301, 400);
    assertThat(clusters.a.ok("import", "--table", "sales.prices")).as("a full import goes ahead with a copy pending")
        .contains("loaded 400 rows");
    assertThat(clusters.jobs()).extracting(CopyJob::state).containsOnly(CopyJobState.NEW).hasSize(2);

    withServer(() -> clusters.awaitJobs(allDone(2), Duration.ofSeconds(30)));
    String loads = clusters.b.ok("import", "--table", "sales.prices");
    // the older full import is superseded by the newer one, never loaded over it
    assertThat(loads).contains("recorded as superseded").contains("loaded 400 rows").doesNotContain("loaded 300 rows");
    assertThat(AsyncClusters.rows(clusters.b, "sales.prices")).isEqualTo(AsyncClusters.rows(clusters.a, "sales.prices"))
        .hasSize(400);
  }

  @Test
  void aHundredCopiesQueuedWhileNoServerRunsAllArriveInOrderPerTable() throws Exception {
    // one real import per table, then nine more copies of it per table straight into the queue, as
    // nine more imports would leave them (the order of loads on B is shown by the tests above)
    List<String> tables = List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9");
    for (String t : tables) {
      clusters.fullTable(t, 10);
    }
    clusters.a.ok("copy-rule", "add", "--filter", "sales.t*", "--destination", "b");
    for (String t : tables) {
      clusters.a.ok("import", "--table", "sales." + t);
      clusters.queueMoreCopiesOfLatestImport("sales." + t, 9);
    }
    assertThat(clusters.jobs()).hasSize(100).allMatch(j -> j.state() == CopyJobState.NEW);

    withServer(() -> clusters.awaitJobs(allDone(100), Duration.ofSeconds(120)));

    for (String t : tables) {
      List<CopyJob> done = clusters.jobs().stream().filter(j -> j.table().table().equals(t))
          .sorted(Comparator.comparingLong(CopyJob::seq)).toList();
      assertThat(done).hasSize(10).extracting(CopyJob::finished).isSortedAccordingTo(Comparator.naturalOrder());
      assertThat(done).extracting(CopyJob::attempts).containsOnly(1);
      assertThat(clusters.b.ok("import", "--table", "sales." + t)).contains("loaded 10 rows");
      assertThat(AsyncClusters.rows(clusters.b, "sales." + t)).hasSize(10);
    }
  }

  @Test
  void jobsCommandsRefuseWhatCannotBeDone() throws Exception {
    clusters.incrementalTable("orders", 10);
    clusters.a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    clusters.a.ok("import", "--table", "sales.orders");
    long id = clusters.jobs().get(0).id();

    Result unknown = clusters.a.run("jobs", "show", "999999");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("Unknown copy job 999999");
    assertThat(clusters.a.ok("jobs", "retry", String.valueOf(id))).contains("is due now");

    withServer(() -> clusters.awaitJobs(allDone(1), Duration.ofSeconds(30)));
    Result done = clusters.a.run("jobs", "retry", String.valueOf(id));
    assertThat(done.code()).isEqualTo(1);
    assertThat(done.err()).contains("Copy job " + id + " is DONE; only a pending job can be retried.");
    assertThat(clusters.a.ok("jobs", "show", String.valueOf(id))).contains("state:        DONE").contains(": DONE");
    Result badState = clusters.a.run("jobs", "--state", "sleeping");
    assertThat(badState.code()).isEqualTo(1);
    assertThat(badState.err()).contains("Unknown job state 'sleeping'");
  }

  @Test
  void pausedQueueStartsNothingUntilResumed() throws Exception {
    clusters.incrementalTable("orders", 10);
    clusters.a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b");
    clusters.a.ok("jobs", "pause");
    clusters.a.ok("import", "--table", "sales.orders");
    withServer(() -> {
      Thread.sleep(800); // eight poll intervals of the server
      assertThat(clusters.jobs()).singleElement().extracting(CopyJob::state).isEqualTo(CopyJobState.NEW);
      assertThat(clusters.a.ok("jobs")).contains("PAUSED");
      clusters.a.ok("jobs", "resume");
      clusters.awaitJobs(allDone(1), Duration.ofSeconds(30));
    });
  }

  private List<Path> stagingLeftOnA() throws java.io.IOException {
    Path root = clusters.a.home().resolve("cluster/.staging");
    if (!java.nio.file.Files.exists(root)) {
      return List.of();
    }
    try (var s = java.nio.file.Files.walk(root)) {
      return s.filter(java.nio.file.Files::isRegularFile).toList();
    }
  }
}
