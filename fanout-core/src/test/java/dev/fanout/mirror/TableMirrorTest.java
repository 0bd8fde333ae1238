package dev.fanout.mirror;

import static dev.fanout.testing.MirrorTables.BY_REGION;
import static dev.fanout.testing.MirrorTables.UNPARTITIONED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.HdfsPerClass;
import dev.fanout.testing.MirrorTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout sync}: Iceberg tables written by anyone (here straight through the Iceberg API, as Spark or
 * Flink would) reach another cluster with only what changed. Instance A keeps its tables on a real in-process
 * HDFS, instance B in a local directory; each is registered as a remote instance of the other, so tables go
 * HDFS → file and file → HDFS. After every sync the replica is read back through Iceberg and compared row by
 * row with the source.
 */
class TableMirrorTest {
  @TempDir Path tmp;
  @RegisterExtension static final HdfsPerClass HDFS = new HdfsPerClass();
  private FanoutCli a;
  private FanoutCli b;
  private String basedirA;

  @BeforeEach
  void setUp() {
    basedirA = "/a-" + tmp.getFileName();
    a = new FanoutCli(tmp.resolve("a"));
    a.ok("init", "--cluster-name", "a", "--fs", HDFS.cluster().uri(), "--basedir", basedirA);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", h2Url(b.home()), "--user", "", "--fs", "file:///",
        "--basedir", b.home().resolve("cluster").toString());
    b.ok("instance", "add", "a", "--db-url", h2Url(a.home()), "--user", "", "--fs", HDFS.cluster().uri(),
        "--basedir", basedirA);
  }

  private static String h2Url(Path home) {
    return "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE";
  }

  /** Where a table's files must live on each instance's cluster. */
  private String clusterRoot(FanoutCli instance) {
    return instance == a ? HDFS.cluster().uri() + basedirA + "/" : "file:" + b.home().resolve("cluster") + "/";
  }

  private static String normalized(String location) {
    return location.replaceFirst("^file:/+", "file:/");
  }

  // ---------------------------------------------------------------------------------------------------------

  @Test
  void appendsOverwritesAndMergesReachTheOtherClusterBothWays() {
    // A (HDFS) → B (file), an identity-partitioned table
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 300, "eu", "us", "asia")));
    assertThat(syncOk(a, "shop.sales", b)).contains("first sync");
    assertReplica(a, b, "shop.sales", 300);

    // an append: one new data file, and only it is copied, in one commit on B
    Copy append = new Copy(a, b, "shop.sales");
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 301, 350, "eu")));
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    assertReplica(a, b, "shop.sales", 350);
    append.assertOnlyNewFilesCopied(1);

    // an overwrite of partition us: its old files leave B's table too
    Copy overwrite = new Copy(a, b, "shop.sales");
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      List<DataFile> us = MirrorTables.dataFiles(t).stream().filter(f -> "us".equals(MirrorTables.partitionValue(f))).toList();
      assertThat(us).isNotEmpty();
      List<Record> replacement = new ArrayList<>();
      for (long id = 1001; id <= 1040; id++) {
        replacement.add(MirrorTables.row(t, id, "us", 7, "replaced " + id));
      }
      MirrorTables.overwrite(t, us, replacement);
    });
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    List<String> afterOverwrite = assertReplica(a, b, "shop.sales", 350 - 100 + 40);
    assertThat(afterOverwrite).anyMatch(r -> r.contains("replaced 1001")).noneMatch(r -> r.contains(", us, ") && r.contains(", n"));
    overwrite.assertOnlyNewFilesCopied(1);

    // a merge (equality deletes) and a delete by position in an eu file, synced together as one commit on B
    Copy merge = new Copy(a, b, "shop.sales");
    List<Long> deletedIds = new ArrayList<>();
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      List<Record> changed = new ArrayList<>();
      for (long id = 1; id <= 30; id++) { // ids 1..30 of eu and asia (us ids were replaced), amount 999
        String region = switch ((int) (id % 3)) { case 0 -> "eu"; case 1 -> "us"; default -> "asia"; };
        if (!region.equals("us")) {
          changed.add(MirrorTables.row(t, id, region, 999, "merged " + id));
        }
      }
      MirrorTables.upsert(t, changed);
      DataFile eu = MirrorTables.dataFiles(t).stream().filter(f -> "eu".equals(MirrorTables.partitionValue(f))
          && f.recordCount() == 100).findFirst().orElseThrow();
      deletedIds.addAll(MirrorTables.deletePositions(t, eu, 50, 51, 52, 99));
    });
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    List<String> afterMerge = assertReplica(a, b, "shop.sales", 290 - 4);
    assertThat(afterMerge.stream().filter(r -> r.contains(", 999, merged "))).hasSize(20);
    for (long id : deletedIds) {
      assertThat(afterMerge).noneMatch(r -> r.startsWith("Record(" + id + ","));
    }
    merge.assertOnlyNewFilesCopied(2 /* eq deletes eu, asia */ + 2 /* merged rows eu, asia */ + 1 /* positions */);
    assertPositionDeletesPointAtReplicaFiles(b, "shop.sales", 1);

    // a delete of partition asia (files removed, none added): removed on B too, nothing copied
    Copy dropAsia = new Copy(a, b, "shop.sales");
    MirrorTables.edit(a.home(), "shop.sales", t -> t.newDelete().deleteFromRowFilter(Expressions.equal("region", "asia")).commit());
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    assertThat(assertReplica(a, b, "shop.sales", 286 - 100)).noneMatch(r -> r.contains(", asia, "));
    dropAsia.assertOnlyNewFilesCopied(0);

    // nothing new: nothing happens on B
    long snapshot = MirrorTables.read(b.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());
    assertThat(syncOk(a, "shop.sales", b)).contains("nothing to sync");
    long after = MirrorTables.read(b.home(), "shop.sales", t -> t.currentSnapshot().snapshotId());
    assertThat(after).as("B's current snapshot").isEqualTo(snapshot);

    // B (file) → A (HDFS): an unpartitioned table made on B
    MirrorTables.create(b.home(), "hr.people", UNPARTITIONED);
    MirrorTables.edit(b.home(), "hr.people", t -> {
      MirrorTables.append(t, MirrorTables.rows(t, 1, 200, "x"));
      MirrorTables.upsert(t, List.of(MirrorTables.row(t, 5, "x", 555, "merged 5"), MirrorTables.row(t, 6, "x", 666, "merged 6")));
    });
    assertThat(syncOk(b, "hr.people", a)).contains("first sync");
    assertThat(assertReplica(b, a, "hr.people", 200)).contains("Record(5, x, 555, merged 5)");

    Copy back = new Copy(b, a, "hr.people");
    MirrorTables.edit(b.home(), "hr.people", t -> {
      MirrorTables.append(t, MirrorTables.rows(t, 201, 260, "x"));
      DataFile first = MirrorTables.dataFiles(t).stream().filter(f -> f.recordCount() == 200).findFirst().orElseThrow();
      MirrorTables.deletePositions(t, first, 0, 1, 2);
    });
    assertThat(syncOk(b, "hr.people", a)).contains("incremental");
    assertThat(assertReplica(b, a, "hr.people", 257)).noneMatch(r -> r.startsWith("Record(1,"));
    back.assertOnlyNewFilesCopied(2);
    assertPositionDeletesPointAtReplicaFiles(a, "hr.people", 1);
  }

  @Test
  void schemaChangesAreCarriedOver() {
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 100, "eu", "us")));
    assertThat(syncOk(a, "shop.sales", b)).contains("first sync");
    assertReplica(a, b, "shop.sales", 100);

    // a new column, a renamed one, and a partition field added (spec evolution); then rows with them
    Copy copy = new Copy(a, b, "shop.sales");
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      t.updateSchema().addColumn("discount", Types.IntegerType.get()).renameColumn("note", "comment").commit();
      t.updateSpec().addField(Expressions.bucket("id", 4)).commit();
      List<Record> rows = MirrorTables.rows(t, 101, 160, "eu", "us");
      rows.forEach(r -> r.setField("discount", (int) ((Long) r.getField("id") % 10)));
      MirrorTables.append(t, rows);
    });
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    List<String> rows = assertReplica(a, b, "shop.sales", 160);
    assertThat(rows).contains("Record(101, us, 1, n101, 1)", "Record(1, us, 1, n1, null)");
    MirrorTables.read(b.home(), "shop.sales", t -> {
      Types.NestedField discount = t.schema().findField("discount");
      assertThat(discount).as("new column on the replica").isNotNull();
      assertThat(t.schema().findField("comment").fieldId()).isEqualTo(4);
      assertThat(t.schema().findField("note")).isNull();
      assertThat(t.spec().fields()).hasSize(2);
      return null;
    });
    copy.assertOnlyNewFilesCopied(MirrorTables.read(a.home(), "shop.sales",
        t -> (int) MirrorTables.dataFiles(t).stream().filter(f -> f.specId() == t.spec().specId()).count()));
  }

  @Test
  void aPartitionFilteredSyncCopiesOnlyThatPartitionAndTheNextFullSyncFillsTheRest() {
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 300, "eu", "us", "asia")));
    assertThat(syncOk(a, "shop.sales", b)).contains("first sync");
    List<String> before = assertReplica(a, b, "shop.sales", 300);

    // new rows in eu and us (one commit), then a merge in us
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      List<Record> rows = new ArrayList<>(MirrorTables.rows(t, 301, 340, "eu"));
      rows.addAll(MirrorTables.rows(t, 341, 380, "us"));
      MirrorTables.append(t, rows);
      MirrorTables.upsert(t, List.of(MirrorTables.row(t, 1, "us", 123, "merged 1")));
    });
    List<String> source = MirrorTables.rowStrings(a.home(), "shop.sales");

    Result eu = sync(a, "shop.sales", b, "--partition", "region=eu");
    assertThat(eu.code()).as(eu.err()).isZero();
    assertThat(summaryLine(eu, "shop.sales", b)).containsAnyOf("incremental", "first sync", "full copy");
    List<String> replica = MirrorTables.rowStrings(b.home(), "shop.sales");
    // B has the source's eu rows, and its us and asia rows as they were at the first sync
    assertThat(inRegion(replica, "eu")).isEqualTo(inRegion(source, "eu")).hasSize(140);
    assertThat(inRegion(replica, "us")).isEqualTo(inRegion(before, "us")).hasSize(100)
        .contains("Record(1, us, 1, n1)");
    assertThat(inRegion(replica, "asia")).isEqualTo(inRegion(before, "asia"));
    MirrorTables.read(b.home(), "shop.sales", t -> {
      assertThat(MirrorTables.dataFiles(t).stream().filter(f -> "us".equals(MirrorTables.partitionValue(f)))).hasSize(1);
      assertThat(MirrorTables.deleteFiles(t)).isEmpty();
      return null;
    });
    assertFilesUnder(b, "shop.sales");

    // the next sync without a filter brings what the filter left out: no gap
    Result all = sync(a, "shop.sales", b);
    assertThat(all.code()).as(all.err()).isZero();
    assertThat(summaryLine(all, "shop.sales", b)).containsAnyOf("incremental", "full copy");
    assertThat(assertReplica(a, b, "shop.sales", 380)).contains("Record(1, us, 123, merged 1)");
    assertThat(syncOk(a, "shop.sales", b)).contains("nothing to sync");
  }

  @Test
  void expiredSnapshotsLeadToAFullCopyWithAWarning() {
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 200, "eu", "us")));
    assertThat(syncOk(a, "shop.sales", b)).contains("first sync");

    // two more commits, then every snapshot but the newest is expired: the last synced one is gone
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      long synced = t.currentSnapshot().snapshotId();
      // a schema change among the expired commits: the full copy must bring it too
      t.updateSchema().addColumn("discount", Types.IntegerType.get()).commit();
      List<Record> rows = MirrorTables.rows(t, 201, 260, "eu", "us");
      rows.forEach(r -> r.setField("discount", 5));
      MirrorTables.append(t, rows);
      MirrorTables.upsert(t, List.of(MirrorTables.row(t, 2, "eu", 222, "merged 2"), MirrorTables.row(t, 3, "us", 333, "merged 3")));
      t.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
      t.refresh();
      assertThat(t.snapshot(synced)).as("the synced snapshot is expired").isNull();
    });

    Result r = sync(a, "shop.sales", b);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(summaryLine(r, "shop.sales", b)).contains("full copy");
    assertWarning(r, "expired");
    assertThat(assertReplica(a, b, "shop.sales", 260)).contains("Record(2, eu, 222, merged 2, null)",
        "Record(3, us, 333, merged 3, null)", "Record(201, us, 1, n201, 5)");

    // and from there on, incremental again
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 261, 270, "eu")));
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    assertReplica(a, b, "shop.sales", 270);
  }

  @Test
  void aDestinationChangedBehindOurBackIsMadeEqualAgain() {
    // B (file) → A (HDFS) this time
    MirrorTables.create(b.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(b.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 200, "eu", "us")));
    assertThat(syncOk(b, "shop.sales", a)).contains("first sync");
    assertReplica(b, a, "shop.sales", 200);

    // someone appends to the replica on A, and deletes a file there; the source moves on too
    MirrorTables.edit(a.home(), "shop.sales", t -> {
      MirrorTables.append(t, List.of(MirrorTables.row(t, 9001, "eu", 1, "only on A"), MirrorTables.row(t, 9002, "asia", 1, "only on A")));
      DataFile us = MirrorTables.dataFiles(t).stream().filter(f -> "us".equals(MirrorTables.partitionValue(f))).findFirst().orElseThrow();
      t.newDelete().deleteFile(us).commit();
    });
    MirrorTables.edit(b.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 201, 220, "eu", "us")));

    Result r = sync(b, "shop.sales", a);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(summaryLine(r, "shop.sales", a)).contains("full copy");
    assertWarning(r, "changed");
    assertThat(assertReplica(b, a, "shop.sales", 220)).noneMatch(row -> row.contains("only on A"));

    // equal again, so nothing more to do
    assertThat(syncOk(b, "shop.sales", a)).contains("nothing to sync");

    // changed on A again while the source did not move: still noticed, not "nothing to sync"
    MirrorTables.edit(a.home(), "shop.sales", t -> t.newDelete().deleteFromRowFilter(Expressions.equal("region", "eu")).commit());
    assertThat(MirrorTables.rowStrings(a.home(), "shop.sales")).hasSize(110);
    Result again = sync(b, "shop.sales", a);
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(summaryLine(again, "shop.sales", a)).contains("full copy");
    assertWarning(again, "changed");
    assertReplica(b, a, "shop.sales", 220);
  }

  @Test
  void aReplacedSourceTableIsCopiedWhole() {
    MirrorTables.create(a.home(), "shop.sales", BY_REGION);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 1, 200, "eu", "us")));
    assertThat(syncOk(a, "shop.sales", b)).contains("first sync");
    assertReplica(a, b, "shop.sales", 200);

    // dropped and created again under the same name, unpartitioned this time, with other rows
    MirrorTables.drop(a.home(), "shop.sales");
    MirrorTables.create(a.home(), "shop.sales", UNPARTITIONED);
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 5001, 5120, "eu", "us", "asia")));

    Result r = sync(a, "shop.sales", b);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(summaryLine(r, "shop.sales", b)).contains("full copy");
    assertWarning(r, "replaced");
    List<String> rows = assertReplica(a, b, "shop.sales", 120); // with the new table's (empty) partition spec
    assertThat(rows).allMatch(row -> row.matches("Record\\(5\\d{3}, .*"));
    boolean unpartitioned = MirrorTables.read(b.home(), "shop.sales", t -> t.spec().isUnpartitioned());
    assertThat(unpartitioned).as("the replica's spec is the new table's").isTrue();

    // the new table is now the one followed: its next append is an increment
    Copy next = new Copy(a, b, "shop.sales");
    MirrorTables.edit(a.home(), "shop.sales", t -> MirrorTables.append(t, MirrorTables.rows(t, 5121, 5130, "asia")));
    assertThat(syncOk(a, "shop.sales", b)).contains("incremental");
    assertReplica(a, b, "shop.sales", 130);
    next.assertOnlyNewFilesCopied(1);
  }

  @Test
  void aTableWhoseDataFilesLieOutsideItsLocationIsCopiedToo() {
    // write.data.path, a standard Iceberg table property, puts data files outside the table location (as tables
    // migrated from Hive directories have them); "any Iceberg table of the catalog" includes such tables
    String dataPath = HDFS.cluster().uri() + basedirA + "/external/events";
    MirrorTables.create(a.home(), "shop.events", BY_REGION);
    MirrorTables.edit(a.home(), "shop.events", t -> {
      t.updateProperties().set("write.data.path", dataPath).commit();
      MirrorTables.append(t, MirrorTables.rows(t, 1, 100, "eu", "us"));
      MirrorTables.upsert(t, List.of(MirrorTables.row(t, 2, "eu", 222, "merged 2")));
      DataFile us = MirrorTables.dataFiles(t).stream().filter(f -> "us".equals(MirrorTables.partitionValue(f))).findFirst().orElseThrow();
      MirrorTables.deletePositions(t, us, 0);
      assertThat(MirrorTables.dataFiles(t)).as("the source's data files").allSatisfy(f -> assertThat(f.location()).startsWith(dataPath));
    });

    Result r = sync(a, "shop.events", b);
    assertThat(r.code()).as("sync exit code; stderr: " + r.err()).isZero();
    assertThat(summaryLine(r, "shop.events", b)).contains("first sync");
    List<String> source = MirrorTables.rowStrings(a.home(), "shop.events");
    assertThat(source).hasSize(99).contains("Record(2, eu, 222, merged 2)");
    assertThat(MirrorTables.rowStrings(b.home(), "shop.events")).isEqualTo(source);
    assertOnOwnCluster(b, "shop.events");

    MirrorTables.edit(a.home(), "shop.events", t -> MirrorTables.append(t, MirrorTables.rows(t, 101, 120, "eu")));
    assertThat(syncOk(a, "shop.events", b)).contains("incremental");
    assertThat(MirrorTables.rowStrings(b.home(), "shop.events")).isEqualTo(MirrorTables.rowStrings(a.home(), "shop.events"))
        .hasSize(119);
    assertOnOwnCluster(b, "shop.events");
  }

  @Test
  void aDataFileCommittedOutsideTheTableIsRefusedUnlessAllowedAndFanoutsKeyNeverLeaves() throws Exception {
    // a writer of the source table commits a data file it put somewhere else, then one that is Fanout's key
    MirrorTables.create(a.home(), "shop.stray", UNPARTITIONED);
    String stray = HDFS.cluster().uri() + basedirA + "/elsewhere/stray.parquet";
    MirrorTables.edit(a.home(), "shop.stray", t -> {
      DataFile written = MirrorTables.writeData(t, MirrorTables.rows(t, 1, 10, "eu")).get(0);
      try {
        org.apache.hadoop.fs.FileSystem fs = HDFS.cluster().fs();
        fs.mkdirs(new org.apache.hadoop.fs.Path(stray).getParent());
        fs.rename(new org.apache.hadoop.fs.Path(written.location()), new org.apache.hadoop.fs.Path(stray));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      t.newAppend().appendFile(org.apache.iceberg.DataFiles.builder(t.spec()).copy(written).withPath(stray).build())
          .commit();
    });

    Result refused = sync(a, "shop.stray", b);
    assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(1);
    assertThat(refused.err()).contains("The source table names the file " + stray + ", which is not copied: it lies"
        + " outside the table's location").contains("--allow-files-elsewhere");
    assertThat(MirrorTables.exists(b.home(), "shop.stray")).isFalse();

    assertThat(syncOk(a, "shop.stray", b, "--allow-files-elsewhere")).contains("first sync");
    assertThat(MirrorTables.rowStrings(b.home(), "shop.stray")).hasSize(10)
        .isEqualTo(MirrorTables.rowStrings(a.home(), "shop.stray"));

    Path key = a.home().resolve("fanout.key");
    MirrorTables.edit(a.home(), "shop.stray", t -> t.newAppend().appendFile(org.apache.iceberg.DataFiles
        .builder(t.spec()).withPath("file:" + key).withFormat(org.apache.iceberg.FileFormat.PARQUET)
        .withFileSizeInBytes(key.toFile().length()).withRecordCount(1).build()).commit());
    Result key1 = sync(a, "shop.stray", b, "--allow-files-elsewhere");
    assertThat(key1.code()).as(key1.out() + key1.err()).isEqualTo(1);
    assertThat(key1.err()).contains("The source table names the file file:" + key + ", which is not copied: it lies in"
        + " Fanout's home " + a.home().toAbsolutePath().normalize());
    try (var files = java.nio.file.Files.walk(b.home().resolve("cluster"))) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("fanout.key"))).isEmpty();
    }
  }

  /** Every file of the replica is on its own cluster, and its own writes would go there too. */
  private void assertOnOwnCluster(FanoutCli to, String table) {
    String root = clusterRoot(to);
    MirrorTables.read(to.home(), table, t -> {
      List<String> paths = new ArrayList<>();
      MirrorTables.dataFiles(t).forEach(f -> paths.add(f.location()));
      MirrorTables.deleteFiles(t).forEach(f -> paths.add(f.location()));
      assertThat(paths).isNotEmpty().allSatisfy(p -> assertThat(normalized(p)).startsWith(root));
      String dataPath = t.properties().get("write.data.path");
      if (dataPath != null) {
        assertThat(normalized(dataPath)).as("the replica's write.data.path").startsWith(root);
      }
      return null;
    });
  }

  // ---------------------------------------------------------------------------------------------------------

  private static Result sync(FanoutCli from, String table, FanoutCli to, String... extra) {
    List<String> args = new ArrayList<>(List.of("sync", "--table", table, "--to", name(to)));
    args.addAll(List.of(extra));
    return from.run(args.toArray(String[]::new));
  }

  private static String name(FanoutCli instance) {
    return instance.home().getFileName().toString(); // homes a and b are registered as instances a and b
  }

  /** Runs a sync that must succeed and returns its summary line. */
  private static String syncOk(FanoutCli from, String table, FanoutCli to, String... extra) {
    Result r = sync(from, table, to, extra);
    assertThat(r.code()).as("sync exit code; stderr: " + r.err() + "; stdout: " + r.out()).isZero();
    return summaryLine(r, table, to);
  }

  private static String summaryLine(Result r, String table, FanoutCli to) {
    String prefix = table + " to " + name(to) + ":";
    return r.out().lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in: " + r.out()));
  }

  private static void assertWarning(Result r, String why) {
    assertThat(r.err().lines().filter(l -> l.startsWith("Warning:")).map(String::toLowerCase))
        .as("a Warning: line naming '" + why + "' on stderr: " + r.err()).anyMatch(l -> l.contains(why));
  }

  /**
   * The replica on {@code to} holds exactly the source's rows, with the same schema (field ids), partition
   * specs, sort order and properties, and every file it references lives on its own cluster. Returns its rows.
   */
  private List<String> assertReplica(FanoutCli from, FanoutCli to, String table, int expectedRows) {
    List<String> source = MirrorTables.rowStrings(from.home(), table);
    assertThat(source).as("source rows").hasSize(expectedRows);
    record Shape(String schema, Object specs, int specId, Object sortOrder, String property, int dataFiles, int deleteFiles) {}
    java.util.function.Function<Table, Shape> shape = t -> new Shape(t.schema().asStruct().toString(), t.specs(),
        t.spec().specId(), t.sortOrder(), t.properties().get(MirrorTables.PROPERTY), MirrorTables.dataFiles(t).size(),
        MirrorTables.deleteFiles(t).size());
    Shape expected = MirrorTables.read(from.home(), table, shape);
    List<String> replica = MirrorTables.rowStrings(to.home(), table);
    assertThat(replica).as("rows of %s on %s", table, name(to)).isEqualTo(source);
    assertThat(MirrorTables.read(to.home(), table, shape)).isEqualTo(expected);
    assertFilesUnder(to, table);
    return replica;
  }

  /** No file of the replica is on the source's cluster: table, data and delete files are all under its own. */
  private void assertFilesUnder(FanoutCli to, String table) {
    String root = clusterRoot(to);
    String other = clusterRoot(to == a ? b : a);
    MirrorTables.read(to.home(), table, t -> {
      assertThat(normalized(t.location())).startsWith(root);
      List<String> paths = new ArrayList<>();
      MirrorTables.dataFiles(t).forEach(f -> paths.add(f.location()));
      MirrorTables.deleteFiles(t).forEach(f -> paths.add(f.location()));
      assertThat(paths).isNotEmpty().allSatisfy(p -> assertThat(normalized(p)).startsWith(normalized(t.location()))
          .doesNotContain(other.replaceFirst("^file:", "")));
      return null;
    });
  }

  /** Position delete files on the replica were rewritten: they point at the replica's own data files. */
  private void assertPositionDeletesPointAtReplicaFiles(FanoutCli to, String table, int expectedFiles) {
    MirrorTables.read(to.home(), table, t -> {
      Set<String> dataFiles = new HashSet<>();
      MirrorTables.dataFiles(t).forEach(f -> dataFiles.add(f.location()));
      List<DeleteFile> positional = MirrorTables.deleteFiles(t).stream()
          .filter(f -> f.content() == FileContent.POSITION_DELETES).toList();
      assertThat(positional).hasSize(expectedFiles);
      for (DeleteFile f : positional) {
        List<String> targets = MirrorTables.positionDeleteTargets(t, f);
        assertThat(targets).isNotEmpty().allSatisfy(p -> assertThat(dataFiles).contains(p));
      }
      return null;
    });
  }

  /** Rows of one region (identity partition), from row strings "Record(id, region, ...)". */
  private static List<String> inRegion(List<String> rows, String region) {
    return rows.stream().filter(r -> r.matches("Record\\(\\d+, " + region + ",.*")).toList();
  }

  /**
   * The replica's files before a sync, to check afterwards that the sync copied only the new files: the ones
   * still there were not rewritten (same modification time); and that readers saw the change as one commit:
   * the main branch moved once (one entry in its snapshot log), however many source snapshots it brought.
   */
  private final class Copy {
    private final FanoutCli to;
    private final String table;
    private final Map<String, Long> before;
    private final long snapshots;

    Copy(FanoutCli from, FanoutCli to, String table) {
      this.to = to;
      this.table = table;
      this.before = MirrorTables.read(to.home(), table, MirrorTables::filesWithTimes);
      this.snapshots = MirrorTables.read(to.home(), table, t -> (long) t.history().size());
    }

    void assertOnlyNewFilesCopied(int newFiles) {
      Map<String, Long> after = MirrorTables.read(to.home(), table, MirrorTables::filesWithTimes);
      List<String> added = after.keySet().stream().filter(p -> !before.containsKey(p)).toList();
      assertThat(added).as("files added to the replica").hasSize(newFiles);
      after.forEach((path, time) -> {
        if (before.containsKey(path)) {
          assertThat(time).as("modification time of %s, copied by an earlier sync", path).isEqualTo(before.get(path));
        }
      });
      long commits = MirrorTables.read(to.home(), table, t -> (long) t.history().size());
      assertThat(commits).as("moves of the replica's main branch").isEqualTo(snapshots + 1);
    }
  }
}
