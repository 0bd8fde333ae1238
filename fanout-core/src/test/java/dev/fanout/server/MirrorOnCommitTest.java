package dev.fanout.server;

import dev.fanout.replication.CopyJobReports;



import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.cluster.Cluster;
import dev.fanout.config.FanoutHome;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.Backoff;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.TableLag;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.LakeTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync rules: a running server brings each new snapshot of a subscribed table to the other instance. */
class MirrorOnCommitTest {
  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "page", Types.StringType.get()));
  @TempDir Path tmp;

  @Test
  void aRunningServerSyncsEveryNewSnapshotOfASubscribedTableWithinSeconds() throws Exception {
    FanoutCli a = new FanoutCli(tmp.resolve("a"));
    a.ok("init", "--cluster-name", "a");
    FanoutCli b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    assertThat(a.ok("sync-rule", "add", "--filter", "hist.*", "--to", "b")).contains("Sync rule 1");
    assertThat(a.ok("sync-rule", "list")).contains("hist.*").contains("-> b");

    ServerSettings settings = ServerSettings.builder().port(0).workers(2).poll(Duration.ofMillis(200))
        .lease(Duration.ofSeconds(5)).backoff(new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)))
        .flagAfterAttempts(3).grace(Duration.ofSeconds(5)).build();
    try (Instance instance = Instance.open(new FanoutHome(a.home()), Cluster.defaultConfiguration(), false);
        FanoutServer ignored = FanoutServer.start(instance, settings)) {
      instance.catalog().ensureNamespace("hist");
      instance.catalog().ensureNamespace("other");
      Table visits = instance.catalog().catalog().createTable(TableIdentifier.of("hist", "visits"), SCHEMA,
          PartitionSpec.unpartitioned());
      Table scratch = instance.catalog().catalog().createTable(TableIdentifier.of("other", "scratch"), SCHEMA,
          PartitionSpec.unpartitioned());
      LakeTables.appendPageVisits(visits, 1, 100);
      LakeTables.appendPageVisits(scratch, 1, 10);
      awaitRows(b, "hist.visits", 100);

      long committed = System.nanoTime();
      LakeTables.appendPageVisits(visits, 101, 150);
      awaitRows(b, "hist.visits", 150);
      double seconds = (System.nanoTime() - committed) / 1e9;
      assertThat(seconds).as("a new snapshot reaches the other cluster within seconds").isLessThan(10);
      assertThat(LakeTables.rows(b.home(), "hist.visits")).isEqualTo(LakeTables.rows(a.home(), "hist.visits"));

      List<CopyJob> syncs = new CopyJobReports(instance.transactions()).list(CopyJobFilter.all()).stream().filter(j -> j.kind() == CopyJob.Kind.MIRROR).toList();
      assertThat(syncs).isNotEmpty().allMatch(j -> j.table().equals(TableName.parse("hist.visits")))
          .allMatch(j -> j.state() == CopyJobState.DONE);
      assertThat(new CopyJobReports(instance.transactions()).lag()).filteredOn(l -> l.table().toString().equals("hist.visits"))
          .singleElement().extracting(TableLag::destination).isEqualTo("b");
    }
    try (Instance remote = Instance.open(new FanoutHome(b.home()))) {
      assertThat(remote.catalog().find(TableName.parse("other.scratch"))).as("not subscribed").isEmpty();
    }
    assertThat(a.run("sync-rule", "add", "--filter", "hist.*", "--to", "nowhere").err()).contains("Unknown instance 'nowhere'");
    a.ok("sync-rule", "remove", "1");
    assertThat(a.ok("sync-rule", "list")).doesNotContain("hist.*");
  }

  private static void awaitRows(FanoutCli instance, String table, int rows) throws InterruptedException {
    await(() -> {
      try (Instance i = Instance.open(new FanoutHome(instance.home()))) {
        return i.catalog().find(TableName.parse(table)).isPresent() && LakeTables.rows(instance.home(), table).size() == rows;
      }
    }, Duration.ofSeconds(30), table + " with " + rows + " rows on " + instance.home());
  }

  private static void await(BooleanSupplier done, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

}
