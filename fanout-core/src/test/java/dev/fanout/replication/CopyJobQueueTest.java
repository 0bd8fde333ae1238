package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.StagedImportRepository;
import dev.fanout.metadata.TableName;
import dev.fanout.metadata.Transactions;
import dev.fanout.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The copy queue straight against each kind of metadata database, filled through {@link CopyJobQueue}
 * as an import fills it (no import runs): the order servers take jobs in, flagging, cancelling, and the
 * job's kind as it is read back.
 */
class CopyJobQueueTest {
  private static final TableName ORDERS = TableName.parse("sales.orders");
  private static final TableName PRICES = TableName.parse("sales.prices");
  private static final Duration LEASE = Duration.ofMinutes(5);

  @TempDir Path tmp;
  private TestDatabase database;
  private MetadataDatabase metadata;
  private Transactions tx;
  private CopyJobQueue queue;
  private CopyJobReports reports;

  private void open(TestDatabase.Kind kind) {
    database = TestDatabase.create(kind, tmp);
    metadata = MetadataDatabase.open(database.url(), database.user(), database.password());
    tx = new Transactions(metadata);
    queue = new CopyJobQueue(tx);
    reports = new CopyJobReports(tx);
  }

  @AfterEach
  void close() {
    if (metadata != null) {
      metadata.close();
    }
    if (database != null) {
      database.close();
    }
  }

  /** What an import records: a staged import and its job to {@code destination}, runnable (loaded here). */
  private long imported(long tableId, TableName table, String destination, String importId, ImportType type) {
    return tx.inTransaction("recording an import", work -> {
      work.stagedImports().record(new StagedImport(importId, tableId, "/staging/" + importId,
          StagedImport.State.LOADED, type, null, null, 10, 10, 100, Instant.now()));
      CopyJobQueue jobs = new CopyJobQueue(work);
      long id = jobs.enqueue(tableId, table, destination, importId, "/staging/" + importId, "/remote/" + importId);
      jobs.release(importId);
      return id;
    });
  }

  private long increment(long tableId, TableName table, String destination, String importId) {
    return imported(tableId, table, destination, importId, ImportType.INCR);
  }

  private Optional<CopyJob> claim(String server) {
    return queue.claim(server, LEASE, owner -> false).map(CopyJobQueue.Claimed::job);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void jobsOfOneTableToOneDestinationRunOneAtATimeInImportOrder(TestDatabase.Kind kind) {
    open(kind);
    long first = increment(1, ORDERS, "b", "orders-1");
    long second = increment(1, ORDERS, "b", "orders-2");
    long elsewhere = increment(1, ORDERS, "c", "orders-1c");
    long prices = increment(2, PRICES, "b", "prices-1");

    assertThat(claim("s1")).get().extracting(CopyJob::id).isEqualTo(first);
    assertThat(claim("s1")).as("orders to b waits for job " + first).get().extracting(CopyJob::id).isEqualTo(elsewhere);
    assertThat(claim("s2")).get().extracting(CopyJob::id).isEqualTo(prices);
    assertThat(claim("s2")).isEmpty();

    assertThat(queue.complete(first, "s1", 100, Instant.now())).isTrue();
    CopyJob next = claim("s2").orElseThrow();
    assertThat(next.id()).isEqualTo(second);
    assertThat(next.seq()).isEqualTo(2);
    assertThat(next.attempts()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void aFlaggedJobWaitsForAPersonAndHoldsBackTheLaterOnesUntilRetried(TestDatabase.Kind kind) {
    open(kind);
    long first = increment(1, ORDERS, "b", "orders-1");
    increment(1, ORDERS, "b", "orders-2");
    claim("s1").orElseThrow();

    assertThat(queue.flag(first, "s1", "Import orders-1 of sales.orders is not recorded here any more")).isTrue();

    CopyJob flagged = reports.require(first);
    assertThat(flagged.state()).isEqualTo(CopyJobState.FLAGGED);
    assertThat(flagged.lastError()).contains("is not recorded here any more");
    assertThat(flagged.flagged(5)).as("flagged after one try, whatever the threshold").isTrue();
    assertThat(reports.runs(first)).extracting(CopyJobRun::outcome).containsExactly("FLAGGED");
    assertThat(claim("s1")).as("neither the flagged job nor the one behind it is taken").isEmpty();
    assertThat(reports.countFlagged(5)).isEqualTo(1);
    assertThat(reports.lag()).singleElement().satisfies(l -> {
      assertThat(l.pendingJobs()).isEqualTo(2);
      assertThat(l.failingJobs()).isEqualTo(1);
    });

    assertThat(queue.retryNow(first).state()).isEqualTo(CopyJobState.FAILED);
    assertThat(claim("s1")).get().extracting(CopyJob::id).isEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void aCancelledJobSaysWhoAndWhenAndLetsTheNextOneRun(TestDatabase.Kind kind) {
    open(kind);
    long first = increment(1, ORDERS, "b", "orders-1");
    long second = increment(1, ORDERS, "b", "orders-2");
    Instant before = Instant.now().minusSeconds(1);

    CopyJob cancelled = queue.cancel(first, "ann@ops-1");

    assertThat(cancelled.state()).isEqualTo(CopyJobState.CANCELLED);
    assertThat(cancelled.cancelledBy()).isEqualTo("ann@ops-1");
    assertThat(cancelled.finished()).isAfter(before);
    assertThat(reports.pendingFor(1)).extracting(CopyJob::id).containsExactly(second);
    assertThat(reports.holes(1)).as("b misses orders-1").extracting(CopyJob::id).containsExactly(first);
    assertThat(claim("s1")).get().extracting(CopyJob::id).isEqualTo(second);
    assertThat(reports.countsByState()).containsEntry(CopyJobState.CANCELLED, 1).containsEntry(CopyJobState.RUNNING, 1);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.Kind.class, names = "H2")
  void runningFinishedAndUnknownJobsCannotBeCancelledAndSayWhy(TestDatabase.Kind kind) {
    open(kind);
    long running = increment(1, ORDERS, "b", "orders-1");
    long done = increment(2, PRICES, "b", "prices-1");
    claim("s1").orElseThrow();
    claim("s1").orElseThrow();
    queue.complete(done, "s1", 1, Instant.now());

    assertThatThrownBy(() -> queue.cancel(running, "ann")).isInstanceOf(FanoutException.class)
        .hasMessage("Copy job " + running + " is running now (held by s1) and cannot be cancelled; cancel it if this"
            + " try fails, or let it finish.");
    assertThatThrownBy(() -> queue.cancel(done, "ann"))
        .hasMessage("Copy job " + done + " is DONE; only a pending job can be cancelled.");
    assertThatThrownBy(() -> queue.cancel(999_999, "ann"))
        .hasMessage("Unknown copy job 999999; 'fanout jobs' lists them.");
    assertThat(reports.require(running).state()).isEqualTo(CopyJobState.RUNNING);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void aFullImportOrAFullSyncReachingTheDestinationMendsTheHoleACancelLeft(TestDatabase.Kind kind) {
    open(kind);
    long toB = increment(1, ORDERS, "b", "orders-1");
    long toC = increment(1, ORDERS, "c", "orders-1c");
    queue.cancel(toB, "ann");
    queue.cancel(toC, "ann");
    long full = imported(1, ORDERS, "b", "orders-2", ImportType.FULL);
    claim("s1").orElseThrow();

    assertThat(queue.complete(full, "s1", 1, Instant.now())).isTrue();
    assertThat(reports.holes(1)).as("only c still misses an increment").extracting(CopyJob::id).containsExactly(toC);

    queue.mendGaps(ORDERS, "c");
    assertThat(reports.holes(1)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void eachJobSaysWhetherItCopiesAnImportOrMirrorsATable(TestDatabase.Kind kind) {
    open(kind);
    long copy = increment(1, ORDERS, "b", "orders-1");
    assertThat(queue.enqueueSync(7, PRICES, "b", 42, "/lake/prices")).isTrue();
    assertThat(queue.enqueueSync(7, PRICES, "b", 43, "/lake/prices")).as("one waiting mirror is enough").isFalse();
    CopyJob mirror = reports.list(new CopyJobFilter(null, PRICES, null, 10)).get(0);
    // a row written before MIRROR was the name
    tx.run("writing an older row", c -> {
      try (var ps = c.prepareStatement("UPDATE copy_jobs SET job_kind = 'SYNC' WHERE job_id = ?")) {
        ps.setLong(1, mirror.id());
        return ps.executeUpdate();
      }
    });

    assertThat(reports.require(copy).kind()).isEqualTo(CopyJob.Kind.IMPORT);
    assertThat(reports.require(mirror.id()).kind()).isEqualTo(CopyJob.Kind.MIRROR);
    assertThat(reports.require(mirror.id()).describe()).isEqualTo("mirror of sales.prices");
    assertThat(reports.require(copy).describe()).isEqualTo("import orders-1 of sales.orders");
  }

  /** One job due for each of {@code tables} tables, all to b. */
  private void dueJobsOfTables(int tables) {
    for (int t = 1; t <= tables; t++) {
      increment(t, TableName.parse("sales.t" + t), "b", "t" + t + "-1");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void aJobIsTakenWhileTwentyFiveOthersAreRunning(TestDatabase.Kind kind) {
    open(kind);
    dueJobsOfTables(28);
    for (int i = 0; i < 25; i++) {
      claim("s1").orElseThrow();
    }

    assertThat(claim("s1")).as("the server running 25 jobs takes a 26th").isPresent();
    assertThat(claim("s2")).as("another server takes one too").isPresent();
    assertThat(reports.countsByState()).containsEntry(CopyJobState.RUNNING, 27);
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.Kind.class)
  void thirtyTwoWorkersClaimingAtOnceEachTakeADifferentJob(TestDatabase.Kind kind) throws Exception {
    open(kind);
    dueJobsOfTables(40);
    int workers = 32;
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Optional<CopyJob>>> claims = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        claims.add(pool.submit(() -> {
          start.await();
          return claim("server-1");
        }));
      }
      start.countDown();
      Set<Long> taken = new HashSet<>();
      for (Future<Optional<CopyJob>> claim : claims) {
        taken.add(claim.get(60, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("a worker got no job")).id());
      }
      assertThat(taken).as("32 different jobs").hasSize(workers);
      assertThat(reports.countsByState()).containsEntry(CopyJobState.RUNNING, workers)
          .containsEntry(CopyJobState.NEW, 40 - workers);
    } finally {
      pool.shutdownNow();
    }
  }
}
