package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.TableName;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process can die between any two of an import's steps: between its manifest and its record, between
 * the lake's commit and the metadata's. The next run finds what was left and neither loses it nor does it
 * twice. The metadata database is MariaDB here, so a trigger can make its commit fail the way a database
 * that went away does.
 */
class CrashWindowsTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private TestDatabase metadata;
  private FanoutCli fanout;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, payload VARCHAR(100))");
    source.execute("INSERT INTO events SELECT seq, CONCAT('event ', seq) FROM seq_1_to_2000");
    metadata = TestDatabase.create(Kind.MARIADB, tmp);
    fanout = new FanoutCli(tmp.resolve("home"));
    Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(),
        "--metadata-user", metadata.user(), "--metadata-password-stdin");
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(fanout.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
    fanout.ok("table", "add", "--connection", "src", "--source", source.schema() + ".events", "--target",
        "log.events", "--etl", "insert");
  }

  @AfterEach
  void tearDown() {
    source.close();
    metadata.close();
  }

  @Test
  void anImportCommittedJustBeforeACrashIsNotCommittedTwiceEvenAfterItsSnapshotExpired() {
    metadata.execute("CREATE TRIGGER crash_after_lake_commit BEFORE UPDATE ON staged_imports FOR EACH ROW BEGIN"
        + " IF NEW.state = 'LOADED' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the metadata database went"
        + " away'; END IF; END");
    Result crashed = fanout.run("import", "--table", "log.events");
    assertThat(crashed.code()).isEqualTo(1);
    assertThat(LakeTables.rows(fanout.home(), "log.events")).as("the lake committed before the crash").hasSize(2000);
    metadata.execute("DROP TRIGGER crash_after_lake_commit");

    // the platform's maintenance commits a snapshot and expires the import's own
    try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
      Table table = LakeTables.table(instance, "log.events");
      table.newAppend().commit();
      table.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1000).retainLast(1).commit();
      assertThat(table.snapshots()).hasSize(1);
    }

    String rerun = fanout.ok("import", "--table", "log.events");

    assertThat(rerun).contains("which an earlier run committed");
    assertThat(LakeTables.rows(fanout.home(), "log.events")).hasSize(2000);
    assertThat(fanout.ok("table", "show", "log.events")).doesNotContain("last import:    never");
  }

  @Test
  void aCompleteStagingDirectoryThatWasNeverRecordedIsRemovedByTheNextRun() throws Exception {
    fanout.ok("import", "--table", "log.events");
    // an import that died after writing its manifest and before recording it
    Path orphan = tmp.resolve("home/cluster/.staging/log/events/20261201T020000000Z-0dead0");
    Files.createDirectories(orphan);
    Files.writeString(orphan.resolve("part-00000.parquet"), "staged rows");
    Files.writeString(orphan.resolve("_manifest.json"), "{}");

    fanout.ok("import", "--table", "log.events");

    assertThat(orphan).doesNotExist();
    assertThat(LakeTables.rows(fanout.home(), "log.events")).hasSize(4000);
  }

  @Test
  void copyFinishedNeverMovesBackwards() {
    Instant tuesday = Instant.parse("2026-12-01T02:00:00Z");
    try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
      long id = instance.tables().require(TableName.parse("log.events")).id();
      instance.tables().markCopyFinished(id, tuesday);
      // a copy that finished earlier but committed later
      instance.tables().markCopyFinished(id, tuesday.minusSeconds(3600));

      assertThat(instance.tables().require(TableName.parse("log.events")).copyFinished()).isEqualTo(tuesday);
    }
  }
}
