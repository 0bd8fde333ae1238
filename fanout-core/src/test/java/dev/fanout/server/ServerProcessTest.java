package dev.fanout.server;

import dev.fanout.replication.CopyJobReports;



import static dev.fanout.server.AsyncClusters.allDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobRun;
import dev.fanout.replication.CopyJobState;
import dev.fanout.stage.StageManifest;
import dev.fanout.stage.StagedFile;
import dev.fanout.stage.StagingArea;
import dev.fanout.cluster.Cluster;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.HdfsPerClass;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.ServerProcess;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server as its own process: killed -9 in the middle of a copy, and two servers sharing one queue. */
class ServerProcessTest {
  /** What any JVM ended by SIGTERM reports, after its shutdown hooks ran (128 + 15). */
  private static final int SIGTERM_EXIT = 143;
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

  @Test
  void asyncCopySurvivesServerKill() throws Exception {
    clusters.incrementalTable("events", 100_000);
    // 128 KB/s to B: the copy of the import (about 400 KB) takes seconds, long enough to kill the server inside it
    clusters.a.ok("instance", "remove", "b");
    clusters.a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout")
        + ";AUTO_SERVER=TRUE", "--user", "", "--fs", HDFS.cluster().uri(), "--basedir", clusters.basedirB, "--bandwidth", "128K");
    clusters.a.ok("copy-rule", "add", "--filter", "sales.events", "--destination", "b");
    clusters.a.ok("import", "--table", "sales.events");
    CopyJob job = clusters.jobs().get(0);
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(job.targetPath());

    PartialFileWatch watch = new PartialFileWatch(HDFS.cluster().fs(), target, manifestSizes(job));
    watch.start();
    try {
      try (ServerProcess first = ServerProcess.start(clusters.a.home(), tmp.resolve("logs"), "--poll", "100ms",
          "--lease", "60s")) {
        clusters.awaitJobs(jobs -> jobs.get(0).state() == CopyJobState.RUNNING, Duration.ofSeconds(30));
        awaitCopyUnderWay(target);
        first.kill();
      }
      assertThat(clusters.jobs().get(0).state()).as("the killed server's job is still leased to it")
          .isEqualTo(CopyJobState.RUNNING);
      try (ServerProcess second = ServerProcess.start(clusters.a.home(), tmp.resolve("logs"), "--poll", "100ms")) {
        clusters.awaitJobs(allDone(1), Duration.ofSeconds(120));
        assertThat(second.stop()).as("SIGTERM: graceful stop").isEqualTo(SIGTERM_EXIT);
      }
    } finally {
      watch.stop();
    }
    assertThat(watch.violations()).as("files visible under their final names before they were whole").isEmpty();
    try (Instance a = clusters.openA()) {
      List<CopyJobRun> runs = new CopyJobReports(a.transactions()).runs(job.id());
      assertThat(runs).extracting(CopyJobRun::outcome).containsExactly("ABANDONED", "DONE");
    }
    assertThat(checksumsOnB(job)).as("every file on B matches the manifest's CRC-32C").isTrue();
    clusters.b.ok("import", "--table", "sales.events");
    assertThat(AsyncClusters.rows(clusters.b, "sales.events")).hasSize(100_000)
        .isEqualTo(AsyncClusters.rows(clusters.a, "sales.events"));
  }

  @Test
  void sigtermGivesARunningCopyBackToTheQueue() throws Exception {
    clusters.incrementalTable("events", 50_000);
    clusters.a.ok("instance", "remove", "b");
    clusters.a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout")
        + ";AUTO_SERVER=TRUE", "--user", "", "--fs", HDFS.cluster().uri(), "--basedir", clusters.basedirB, "--bandwidth", "64K");
    clusters.a.ok("copy-rule", "add", "--filter", "sales.events", "--destination", "b");
    clusters.a.ok("import", "--table", "sales.events");
    try (ServerProcess server = ServerProcess.start(clusters.a.home(), tmp.resolve("logs"), "--grace", "1s")) {
      // 64 KB/s: the copy (about 200 KB) is still running when the grace second is up
      clusters.awaitJobs(jobs -> jobs.get(0).state() == CopyJobState.RUNNING, Duration.ofSeconds(30));
      awaitCopyUnderWay(new org.apache.hadoop.fs.Path(clusters.jobs().get(0).targetPath()));
      assertThat(server.stop()).isEqualTo(SIGTERM_EXIT);
    }
    CopyJob released = clusters.jobs().get(0);
    assertThat(released.state()).as("given back, not left leased").isEqualTo(CopyJobState.NEW);
    assertThat(released.leaseOwner()).isNull();
    assertThat(released.attempts()).as("an interrupted try is not a failed one").isZero();
    try (Instance a = clusters.openA()) {
      assertThat(new CopyJobReports(a.transactions()).runs(released.id())).extracting(CopyJobRun::outcome).containsExactly("RELEASED");
    }
  }

  @Test
  void twoServersShareOneQueueAndRunEachOfTwoHundredJobsOnce() throws Exception {
    // C: MariaDB metadata, a local directory as cluster; both servers write to it at once
    TestDatabase metadataC = TestDatabase.create(TestDatabase.Kind.MARIADB, tmp);
    FanoutCli c = new FanoutCli(tmp.resolve("c"));
    assertThat(c.runWithStdin(metadataC.password(), "init", "--metadata-url", metadataC.url(), "--metadata-user",
        metadataC.user(), "--metadata-password-stdin", "--cluster-name", "c").code()).isZero();
    assertThat(clusters.a.runWithStdin(metadataC.password(), "instance", "add", "c", "--db-url", metadataC.url(),
        "--user", metadataC.user(), "--password-stdin", "--fs", "file:///", "--basedir",
        tmp.resolve("c/cluster").toString()).code()).isZero();
    List<String> tables = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
    for (String t : tables) {
      clusters.fullTable(t, 10);
    }
    clusters.a.ok("copy-rule", "add", "--filter", "sales.s*", "--destination", "b");
    clusters.a.ok("copy-rule", "add", "--filter", "sales.s*", "--destination", "c");
    // one real import per table, then nine more copies of it per table and destination straight into the
    // queue, as nine more imports would leave them
    for (String t : tables) {
      clusters.a.ok("import", "--table", "sales." + t);
      clusters.queueMoreCopiesOfLatestImport("sales." + t, 9);
    }
    assertThat(clusters.jobs()).hasSize(200);

    // paused until both run: else the first server can drain the queue while the second JVM still starts
    clusters.a.ok("jobs", "pause");
    try (ServerProcess one = ServerProcess.start(clusters.a.home(), tmp.resolve("logs"), "--poll", "100ms");
        ServerProcess two = ServerProcess.start(clusters.a.home(), tmp.resolve("logs"), "--poll", "100ms")) {
      clusters.a.ok("jobs", "resume");
      clusters.awaitJobs(allDone(200), Duration.ofSeconds(180));
      assertThat(one.stop()).isEqualTo(SIGTERM_EXIT);
      assertThat(two.stop()).isEqualTo(SIGTERM_EXIT);
    }
    Map<String, Integer> perServer = new ConcurrentHashMap<>();
    try (Instance a = clusters.openA()) {
      for (CopyJob j : new CopyJobReports(a.transactions()).list(new dev.fanout.replication.CopyJobFilter(null, null, null, 1000))) {
        List<CopyJobRun> runs = new CopyJobReports(a.transactions()).runs(j.id());
        List<CopyJobRun> done = runs.stream().filter(r -> "DONE".equals(r.outcome())).toList();
        assertThat(done).as("successful runs of job " + j.id()).hasSize(1);
        for (int i = 1; i < runs.size(); i++) {
          assertThat(runs.get(i).started()).as("runs of job " + j.id() + " never overlap")
              .isAfterOrEqualTo(runs.get(i - 1).ended());
        }
        perServer.merge(done.get(0).leaseOwner().replaceAll("/.*", ""), 1, Integer::sum);
      }
    }
    assertThat(perServer).as("both servers took jobs").hasSize(2);
    for (String t : tables) {
      List<CopyJob> ordered = clusters.jobs().stream().filter(j -> j.table().table().equals(t))
          .filter(j -> j.destination().equals("b")).sorted(java.util.Comparator.comparingLong(CopyJob::seq)).toList();
      assertThat(ordered).extracting(CopyJob::finished).isSortedAccordingTo(java.util.Comparator.naturalOrder());
    }
    clusters.b.ok("import", "--table", "sales.s3");
    assertThat(AsyncClusters.rows(clusters.b, "sales.s3")).hasSize(10);
    c.ok("import", "--table", "sales.s7");
    assertThat(AsyncClusters.rows(c, "sales.s7")).hasSize(10);
    metadataC.close();
  }

  /** Waits until a file is being written under its temporary name in the job's target directory. */
  private static void awaitCopyUnderWay(org.apache.hadoop.fs.Path target) throws Exception {
    FileSystem fs = HDFS.cluster().fs();
    for (int i = 0; i < 1500; i++) {
      if (fs.exists(target) && java.util.Arrays.stream(fs.listStatus(target))
          .anyMatch(st -> st.getPath().getName().endsWith(".fanout-tmp"))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no file of " + target + " was being copied within 30 s");
  }

  private Map<String, Long> manifestSizes(CopyJob job) {
    try (Instance a = clusters.openA()) {
      StageManifest m = new StagingArea(a.cluster()).readManifest(new org.apache.hadoop.fs.Path(job.sourcePath()), job.table(), job.importId())
          .orElseThrow();
      Map<String, Long> sizes = new ConcurrentHashMap<>();
      for (StagedFile f : m.files()) {
        sizes.put(f.name(), f.sizeBytes());
      }
      return sizes;
    }
  }

  private boolean checksumsOnB(CopyJob job) throws Exception {
    try (Instance a = clusters.openA()) {
      StageManifest m = new StagingArea(a.cluster()).readManifest(new org.apache.hadoop.fs.Path(job.sourcePath()), job.table(), job.importId())
          .orElse(null);
      FileSystem fs = HDFS.cluster().fs();
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(job.targetPath());
      StageManifest onB = new StagingArea(new Cluster("b", URI.create(HDFS.cluster().uri()), clusters.basedirB,
          a.cluster().conf())).readManifest(dir, job.table(), job.importId()).orElseThrow();
      for (StagedFile f : onB.files()) {
        CRC32C crc = new CRC32C();
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(dir, f.name()))) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            crc.update(buf, 0, n);
          }
        }
        if (!dev.fanout.stage.Crc32c.hex(crc.getValue()).equals(f.crc32c())) {
          return false;
        }
      }
      return m == null || m.files().equals(onB.files());
    }
  }

  /** Lists the remote staging directory all along, and records any final-named file that is not whole. */
  private static final class PartialFileWatch {
    private final FileSystem fs;
    private final org.apache.hadoop.fs.Path dir;
    private final Map<String, Long> sizes;
    private final Set<String> violations = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    PartialFileWatch(FileSystem fs, org.apache.hadoop.fs.Path dir, Map<String, Long> sizes) {
      this.fs = fs;
      this.dir = dir;
      this.sizes = sizes;
      this.thread = new Thread(this::watch, "partial-file-watch");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    Set<String> violations() {
      return violations;
    }

    private void watch() {
      while (running.get()) {
        try {
          if (fs.exists(dir)) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, false);
            while (it.hasNext()) {
              FileStatus st = it.next();
              Long expected = sizes.get(st.getPath().getName());
              if (expected != null && st.getLen() != expected) {
                violations.add(st.getPath().getName() + " at " + st.getLen() + " of " + expected + " bytes");
              }
            }
          }
          Thread.sleep(20);
        } catch (java.io.FileNotFoundException e) {
          // listed while a rename moved it: the next round sees it under its final name
        } catch (Exception e) {
          if (running.get()) {
            violations.add("watch failed: " + e);
          }
          return;
        }
      }
    }
  }
}
