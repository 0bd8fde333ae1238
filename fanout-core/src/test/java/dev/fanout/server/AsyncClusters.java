package dev.fanout.server;

import dev.fanout.replication.CopyJobQueue;

import dev.fanout.replication.CopyJobReports;



import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobState;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.Hdfs;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Two clusters for the server's tests: A imports from MariaDB with its metadata (and so its copy queue)
 * on PostgreSQL and a local directory as cluster; B is a copy_slave with H2 metadata and a real
 * in-process HDFS as cluster. A copies to B asynchronously.
 */
final class AsyncClusters implements AutoCloseable {
  final TestDatabase source;
  final TestDatabase metadataA;
  final FanoutCli a;
  final FanoutCli b;
  final Path tmp;
  final String basedirB = "/b-" + UUID.randomUUID().toString().substring(0, 8);

  AsyncClusters(Path tmp, Hdfs hdfs) {
    this.tmp = tmp;
    source = TestDatabase.create(Kind.MARIADB, tmp);
    metadataA = TestDatabase.create(Kind.POSTGRES, tmp);
    a = new FanoutCli(tmp.resolve("a"));
    Result init = a.runWithStdin(metadataA.password(), "init", "--metadata-url", metadataA.url(), "--metadata-user",
        metadataA.user(), "--metadata-password-stdin", "--cluster-name", "a");
    assertThat(init.code()).as(init.err()).isZero();
    Result conn = a.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin");
    assertThat(conn.code()).as(conn.err()).isZero();
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b", "--fs", hdfs.uri(), "--basedir", basedirB);
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", hdfs.uri(), "--basedir", basedirB);
  }

  /** A source table {@code name} (id, item, qty) and its import on A as {@code sales.<name>}, incremental by id. */
  void incrementalTable(String name, long rows) {
    source.execute("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, item VARCHAR(40), qty INT)");
    addRows(name, 1, rows);
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + "." + name, "--target",
        "sales." + name, "--import", "incr", "--incr-column", "id");
  }

  /** The same, imported in full each time (replacing the table). */
  void fullTable(String name, long rows) {
    source.execute("CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, item VARCHAR(40), qty INT)");
    addRows(name, 1, rows);
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + "." + name, "--target",
        "sales." + name);
  }

  void addRows(String table, long from, long to) {
    source.execute("INSERT INTO " + table + " SELECT seq, CONCAT('item ', seq MOD 13), seq MOD 7 FROM seq_"
        + from + "_to_" + to);
  }

  /**
   * Queues {@code more} copy jobs of the table's latest import behind each of its jobs, straight into A's
   * queue, as that many further imports of the table would (one real import gives them data to copy);
   * they are due at once.
   */
  void queueMoreCopiesOfLatestImport(String table, int more) {
    List<CopyJob> latest = jobs().stream().filter(j -> j.table().toString().equals(table)).toList();
    String importId = latest.get(0).importId();
    try (Instance instance = Instance.open(new FanoutHome(a.home()), dev.fanout.cluster.Cluster.defaultConfiguration(),
        false)) {
      instance.inTransaction("queueing copies of " + table, work -> {
        CopyJobQueue queue = new CopyJobQueue(work);
        for (CopyJob job : latest.stream().filter(j -> j.importId().equals(importId)).toList()) {
          for (int i = 0; i < more; i++) {
            queue.enqueue(job.tableId(), job.table(), job.destination(), importId, job.sourcePath(), job.targetPath());
          }
        }
        queue.release(importId);
        return null;
      });
    }
  }

  Instance openA() {
    return Instance.open(new FanoutHome(a.home()));
  }

  private Instance reader;

  /** A's jobs, newest first, read through one long-lived handle (opening an instance runs the migration check). */
  synchronized List<CopyJob> jobs() {
    if (reader == null) {
      reader = Instance.open(new FanoutHome(a.home()), dev.fanout.cluster.Cluster.defaultConfiguration(), false);
    }
    return new CopyJobReports(reader.transactions()).list(new CopyJobFilter(null, null, null, 100_000));
  }

  /** Waits until every job satisfies the condition; fails with the jobs' states at the timeout. */
  List<CopyJob> awaitJobs(Predicate<List<CopyJob>> condition, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    List<CopyJob> jobs = jobs();
    while (!condition.test(jobs)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("copy jobs did not get there within " + timeout + ": " + jobs.stream()
            .map(j -> j.id() + ":" + j.state() + "/" + j.attempts() + (j.lastError() == null ? "" : " " + j.lastError()))
            .toList());
      }
      Thread.sleep(100);
      jobs = jobs();
    }
    return jobs;
  }

  static Predicate<List<CopyJob>> allDone(int expected) {
    return jobs -> jobs.size() == expected && jobs.stream().allMatch(j -> j.state() == CopyJobState.DONE);
  }

  static List<List<Object>> rows(FanoutCli instance, String table) {
    return LakeTables.rows(instance.home(), table);
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
    source.close();
    metadataA.close();
  }
}
