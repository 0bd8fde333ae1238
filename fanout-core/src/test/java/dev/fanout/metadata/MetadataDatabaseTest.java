package dev.fanout.metadata;

import dev.fanout.replication.CopyJobReports;

import dev.fanout.replication.CopyJobQueue;



import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The metadata database on each supported server, and credentials that never appear in the clear. */
class MetadataDatabaseTest {
  private static final String SECRET = "s3cr3t-Pässword!";
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void anInstanceRunsOnAServerMetadataDatabase(Kind kind) {
    try (TestDatabase metadata = TestDatabase.create(kind, tmp); TestDatabase source = TestDatabase.create(Kind.H2, tmp)) {
      source.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
      Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(), "--metadata-user",
          metadata.user(), "--metadata-password-stdin", "--cluster-name", "dc1");
      assertThat(init.code()).as(init.err()).isZero();
      fanout.ok("connection", "add", "src", "--url", source.url(), "--user", "sa");
      fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.T", "--target", "db.t");
      fanout.ok("import", "--table", "db.t");

      assertThat(LakeTables.rows(fanout.home(), "db.t")).hasSize(2);
      assertThat(metadata.query("SELECT hive_db, hive_table, hive_rowcount FROM import_tables").get(0))
          .containsExactly("db", "t", 2L);
      assertThat(metadata.count("import_statistics")).isEqualTo(1);
      assertThat(metadata.count("iceberg_tables")).isEqualTo(1);
      // a second open runs no migration again and sees the same state
      assertThat(fanout.ok("table", "list")).contains("db.t");
    }
  }

  @Test
  void twoInstancesShareOnePostgresDatabaseInSchemasOfTheirOwn() {
    try (TestDatabase metadata = TestDatabase.create(Kind.POSTGRES, tmp); TestDatabase source = TestDatabase.create(Kind.H2, tmp)) {
      source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
      metadata.execute("CREATE SCHEMA second_instance");
      String secondUrl = metadata.url().replaceAll("currentSchema=[a-z0-9_]+", "currentSchema=second_instance");
      int expected = 0;
      for (String url : List.of(metadata.url(), secondUrl)) {
        FanoutCli fanout = new FanoutCli(tmp.resolve("home-" + expected));
        Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", url, "--metadata-user",
            metadata.user(), "--metadata-password-stdin");
        assertThat(init.code()).as(init.err()).isZero();
        fanout.ok("connection", "add", "src", "--url", source.url(), "--user", "sa");
        fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.T", "--target", "db.t" + expected);
        fanout.ok("import", "--table", "db.t" + expected);
        assertThat(LakeTables.rows(fanout.home(), "db.t" + expected)).hasSize(3);
        expected++;
      }
      // each schema holds its own catalog: one table each
      assertThat(metadata.count("iceberg_tables")).isEqualTo(1);
      assertThat(metadata.count("second_instance.iceberg_tables")).isEqualTo(1);
    }
  }

  @Test
  void anInstanceOnAMariaDbServerNeverTakesAnotherDatabasesCatalogTablesForItsOwn() {
    try (TestDatabase first = TestDatabase.create(Kind.MARIADB, tmp); TestDatabase second = TestDatabase.create(Kind.MARIADB, tmp);
        TestDatabase source = TestDatabase.create(Kind.H2, tmp)) {
      source.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
      FanoutCli one = initOn(first, "one", source);
      FanoutCli two = initOn(second, "two", source);
      one.ok("table", "add", "--connection", "src", "--source", "PUBLIC.T", "--target", "db.t");
      one.ok("import", "--table", "db.t");
      // the second instance's catalog tables in the shape an older Iceberg made them (schema V0, no iceberg_type);
      // Iceberg adds the column when it sees it missing, unless it looks at the first database's table instead
      second.execute("ALTER TABLE iceberg_tables DROP COLUMN iceberg_type");

      two.ok("table", "add", "--connection", "src", "--source", "PUBLIC.T", "--target", "db.t");
      Result imported = two.run("import", "--table", "db.t");

      assertThat(imported.code()).as(imported.err()).isZero();
      assertThat(LakeTables.rows(two.home(), "db.t")).hasSize(3);
      assertThat(second.query("SELECT table_namespace, table_name, iceberg_type FROM iceberg_tables"))
          .containsExactly(List.of("db", "t", "TABLE"));
      assertThat(first.count("iceberg_tables")).isEqualTo(1);
    }
  }

  private FanoutCli initOn(TestDatabase metadata, String name, TestDatabase source) {
    FanoutCli fanout = new FanoutCli(tmp.resolve(name));
    Result init = fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(), "--metadata-user",
        metadata.user(), "--metadata-password-stdin", "--cluster-name", name);
    assertThat(init.code()).as(init.err()).isZero();
    fanout.ok("connection", "add", "src", "--url", source.url(), "--user", "sa");
    return fanout;
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"MARIADB", "POSTGRES"})
  void theCopyQueueLeasesJobsOnAServerMetadataDatabase(Kind kind) {
    try (TestDatabase metadata = TestDatabase.create(kind, tmp); TestDatabase source = TestDatabase.create(Kind.H2, tmp)) {
      source.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))", "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      FanoutCli remote = new FanoutCli(tmp.resolve("remote"));
      remote.ok("init", "--cluster-name", "dc2");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
      assertThat(fanout.runWithStdin(metadata.password(), "init", "--metadata-url", metadata.url(), "--metadata-user",
          metadata.user(), "--metadata-password-stdin", "--cluster-name", "dc1").code()).isZero();
      fanout.ok("connection", "add", "src", "--url", source.url(), "--user", "sa");
      fanout.ok("instance", "add", "dc2", "--db-url", "jdbc:h2:file:" + tmp.resolve("remote/metadata/fanout")
          + ";AUTO_SERVER=TRUE", "--fs", "file:///", "--basedir", tmp.resolve("remote/cluster").toString());
      fanout.ok("table", "add", "--connection", "src", "--source", "PUBLIC.T", "--target", "db.t");
      fanout.ok("copy-rule", "add", "--filter", "db.*", "--destination", "dc2");
      fanout.ok("import", "--table", "db.t");
      fanout.ok("import", "--table", "db.t");

      try (dev.fanout.instance.Instance instance = dev.fanout.instance.Instance.open(new dev.fanout.config.FanoutHome(fanout.home()))) {
        var jobs = new CopyJobQueue(instance.transactions());
        var first = jobs.claim("server-1", java.time.Duration.ofMinutes(1), owner -> false).orElseThrow().job();
        assertThat(first.seq()).isEqualTo(1);
        assertThat(jobs.claim("server-2", java.time.Duration.ofMinutes(1), owner -> false))
            .as("the second import's job waits for the first; the first is leased").isEmpty();
        assertThat(jobs.complete(first.id(), "server-1", 10, java.time.Instant.now())).isTrue();
        var second = jobs.claim("server-2", java.time.Duration.ofMinutes(1), owner -> false).orElseThrow().job();
        assertThat(second.seq()).isEqualTo(2);
        assertThat(jobs.complete(second.id(), "server-1", 10, java.time.Instant.now())).as("not its lease").isFalse();
        assertThat(new CopyJobReports(instance.transactions()).lag()).singleElement().satisfies(l -> assertThat(l.pendingJobs()).isEqualTo(1));
      }
    }
  }

  @Test
  void credentialsAreEncryptedAtRestAndNeverPrinted() throws Exception {
    try (TestDatabase source = TestDatabase.create(Kind.MARIADB, tmp)) {
      FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
      fanout.ok("init");
      source.execute("CREATE USER IF NOT EXISTS 'fanout_reader'@'%' IDENTIFIED BY '" + SECRET + "'",
          "GRANT SELECT ON " + source.schema() + ".* TO 'fanout_reader'@'%'");
      try {
        Result add = fanout.runWithStdin(SECRET, "connection", "add", "src", "--url", source.url(), "--user",
            "fanout_reader", "--password-stdin");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out() + add.err()).doesNotContain(SECRET);
        assertThat(fanout.ok("connection", "list")).doesNotContain(SECRET).doesNotContain("fanout_reader:");

        Path key = tmp.resolve("home/fanout.key");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(tmp.resolve("home"))) {
          List<List<Object>> stored = raw.query("SELECT credentials FROM jdbc_connections");
          assertThat((String) stored.get(0).get(0)).startsWith("v1:").doesNotContain(SECRET).doesNotContain("fanout_reader");
        }
        for (Path f : Files.walk(tmp.resolve("home")).filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
              .as(f.toString()).doesNotContain(SECRET);
        }

        // A home copied without its key file cannot read the credentials, and says so.
        Files.move(key, tmp.resolve("elsewhere.key"));
        Result broken = fanout.run("connection", "list");
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).contains("key file").contains("is missing");
      } finally {
        source.execute("DROP USER IF EXISTS 'fanout_reader'@'%'");
      }
    }
  }
}
