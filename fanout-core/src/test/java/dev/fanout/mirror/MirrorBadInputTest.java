package dev.fanout.mirror;

import static dev.fanout.testing.MirrorTables.BY_REGION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.MirrorTables;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout sync} refuses what it cannot do, with exit code 1 and one sentence on stderr, and leaves the
 * destination as it was. Two instances in local directories (the file system plays no part in these checks).
 */
class MirrorBadInputTest {
  @TempDir Path tmp;
  private FanoutCli a;
  private FanoutCli b;
  private List<String> sourceRows;

  @BeforeEach
  void setUp() {
    a = new FanoutCli(tmp.resolve("a"));
    a.ok("init", "--cluster-name", "a");
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + b.home().resolve("metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", b.home().resolve("cluster").toString());
    // a partitioned source table on A: id, region (partition), amount, note
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 120, "eu", "us")));
    sourceRows = MirrorTables.rowStrings(a.home(), "shop.sales");
    assertThat(sourceRows).hasSize(120);
  }

  private static void assertRefused(Result r, String... phrases) {
    assertThat(r.code()).as("exit code; stderr: " + r.err() + "; stdout: " + r.out()).isEqualTo(1);
    assertThat(r.err()).contains(phrases);
  }

  @Test
  void anUnknownTableIsRefused() {
    Result r = a.run("sync", "--table", "shop.nothing", "--to", "b");
    assertRefused(r, "does not exist");
    assertThat(r.err()).contains("shop.nothing");
    assertThat(MirrorTables.exists(b.home(), "shop.nothing")).isFalse();
  }

  @Test
  void aDestinationThatIsNotAnInstanceIsRefused() {
    Result r = a.run("sync", "--table", "shop.sales", "--to", "nowhere");
    assertRefused(r, "is not an instance");
    assertThat(r.err()).contains("nowhere");
    assertThat(MirrorTables.exists(b.home(), "shop.sales")).isFalse();
  }

  @Test
  void aPartitionFilterOnAnUnknownColumnIsRefused() {
    Result r = a.run("sync", "--table", "shop.sales", "--to", "b", "--partition", "colour=red");
    assertRefused(r, "unknown column");
    assertThat(r.err()).contains("colour");
    assertThat(MirrorTables.exists(b.home(), "shop.sales")).isFalse();
  }

  @Test
  void aPartitionFilterOnAColumnThatIsNotPartitionedIsRefused() {
    Result r = a.run("sync", "--table", "shop.sales", "--to", "b", "--partition", "amount=5");
    assertRefused(r, "not a partition column");
    assertThat(r.err()).contains("amount");
    assertThat(MirrorTables.exists(b.home(), "shop.sales")).isFalse();

    // one bad column among good ones is refused as well, before anything is copied
    Result mixed = a.run("sync", "--table", "shop.sales", "--to", "b", "--partition", "region=eu,amount=5");
    assertRefused(mixed, "not a partition column");
    assertThat(MirrorTables.exists(b.home(), "shop.sales")).isFalse();
  }

  @Test
  void aDestinationTableThatIsNotAReplicaIsLeftAloneUnlessFullAndForce() {
    // someone else's table of the same name on B, with its own rows
    MirrorTables.create(b.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(b.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 500, 530, "eu", "asia")));
    List<String> theirs = MirrorTables.rowStrings(b.home(), "shop.sales");
    long theirSnapshot = MirrorTables.read(b.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());

    Result refused = a.run("sync", "--table", "shop.sales", "--to", "b");
    assertRefused(refused, "not a replica", "--full --force");
    assertUntouched(theirs, theirSnapshot);

    // --full alone is not enough: overwriting someone else's table needs --force too
    Result fullOnly = a.run("sync", "--table", "shop.sales", "--to", "b", "--full");
    assertRefused(fullOnly, "not a replica", "--full --force");
    assertUntouched(theirs, theirSnapshot);

    Result forced = a.run("sync", "--table", "shop.sales", "--to", "b", "--full", "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out().lines().filter(l -> l.startsWith("shop.sales to b:"))).singleElement().asString()
        .containsAnyOf("full copy", "first sync");
    assertThat(MirrorTables.rowStrings(b.home(), "shop.sales")).isEqualTo(sourceRows);

    // from now on it is a replica: a plain sync is accepted and finds nothing to do
    Result again = a.run("sync", "--table", "shop.sales", "--to", "b");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("shop.sales to b:").contains("nothing to sync");
    assertThat(MirrorTables.rowStrings(b.home(), "shop.sales")).isEqualTo(sourceRows);
  }

  @Test
  void syncingAReplicaBackOntoItsSourceIsRefused() {
    assertThat(a.run("sync", "--table", "shop.sales", "--to", "b").code()).isZero();
    assertThat(MirrorTables.rowStrings(b.home(), "shop.sales")).isEqualTo(sourceRows);
    b.ok("instance", "add", "a", "--db-url", "jdbc:h2:file:" + a.home().resolve("metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", a.home().resolve("cluster").toString());
    // someone writes to the replica on B and syncs the wrong way: A's table is the original, not a replica of B's
    MirrorTables.edit(b.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 700, 710, "eu")));
    long original = MirrorTables.read(a.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());

    Result back = b.run("sync", "--table", "shop.sales", "--to", "a");
    assertRefused(back, "not a replica", "--full --force");
    assertThat(MirrorTables.rowStrings(a.home(), "shop.sales")).as("A's original table").isEqualTo(sourceRows);
    long current = MirrorTables.read(a.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());
    assertThat(current).as("A's current snapshot").isEqualTo(original);
  }

  private void assertUntouched(List<String> rows, long snapshot) {
    assertThat(MirrorTables.rowStrings(b.home(), "shop.sales")).as("B's own table").isEqualTo(rows);
    long current = MirrorTables.read(b.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());
    assertThat(current).as("B's current snapshot").isEqualTo(snapshot);
  }
}
