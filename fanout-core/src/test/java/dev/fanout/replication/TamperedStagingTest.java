package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A staging directory on a copy_slave is a directory of files anyone with access to that cluster can
 * change, and its staged-import row was written by another instance. A copies a 2-row import to B
 * synchronously; before B loads it, the manifest or the row is tampered with. B refuses with one
 * sentence naming what it refused, and loads, moves and deletes nothing.
 */
class TamperedStagingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30))");
    source.execute("INSERT INTO orders VALUES (1, 'one'), (2, 'two')");
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", h2Url(tmp.resolve("b")), "--user", "", "--fs", "file:///",
        "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b", "--transfer", "sync");
    a.ok("import", "--table", "sales.orders");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private static String h2Url(Path home) {
    return "jdbc:h2:file:" + home.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE";
  }

  /** B's copy of the import: its staging directory (the only import directory of the table). */
  private Path stagedOnB() throws IOException {
    try (Stream<Path> dirs = Files.list(tmp.resolve("b/cluster/.staging/sales/orders"))) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  private Path manifestOnB() throws IOException {
    return stagedOnB().resolve("_manifest.json");
  }

  private ObjectNode manifest() throws IOException {
    return (ObjectNode) JSON.readTree(manifestOnB().toFile());
  }

  private void write(ObjectNode manifest) throws IOException {
    JSON.writeValue(manifestOnB().toFile(), manifest);
  }

  private Result loadOnB() {
    return b.run("import", "--table", "sales.orders");
  }

  private void assertBLoadedNothing(Result load) throws IOException {
    assertThat(load.code()).as(load.out() + load.err()).isEqualTo(1);
    assertThat(load.err().strip().lines()).hasSize(1);
    assertThat(b.ok("table", "show", "sales.orders")).contains("last import:    never");
    assertThat(stagedOnB()).isDirectory();
  }

  @Test
  void aManifestNamingTheInstanceKeyIsRefusedAndTheKeyStaysWhereItIs() throws IOException {
    byte[] key = Files.readAllBytes(tmp.resolve("b/fanout.key"));
    ObjectNode m = manifest();
    ((ObjectNode) m.withArray("files").get(0)).put("name", "../../../../../fanout.key");
    write(m);

    Result load = loadOnB();

    assertBLoadedNothing(load);
    assertThat(load.err()).contains("The manifest " + "file:" + manifestOnB())
        .contains("names the file '../../../../../fanout.key', which is not a bare file name");
    assertThat(Files.readAllBytes(tmp.resolve("b/fanout.key"))).isEqualTo(key);
  }

  @Test
  void aManifestNamingADataFileOfAnotherTableIsRefused() throws IOException {
    Path other = tmp.resolve("b/cluster/warehouse/hr/people/data/people.parquet");
    Files.createDirectories(other.getParent());
    Files.writeString(other, "someone else's data");
    ObjectNode m = manifest();
    ((ObjectNode) m.withArray("files").get(0)).put("name", "../../../../warehouse/hr/people/data/people.parquet");
    write(m);

    Result load = loadOnB();

    assertBLoadedNothing(load);
    assertThat(load.err()).contains("which is not a bare file name of its staging directory");
    assertThat(other).hasContent("someone else's data");
  }

  @Test
  void aManifestOfAnotherImportIsRefused() throws IOException {
    ObjectNode m = manifest();
    m.put("importId", "20260101T000000000Z-0ther1");
    write(m);

    Result load = loadOnB();

    assertBLoadedNothing(load);
    assertThat(load.err()).contains("does not have Fanout's form");
    m.put("importId", "20260101T000000000Z-abcdef");
    write(m);
    assertThat(loadOnB().err()).contains("it belongs to import 20260101T000000000Z-abcdef");
  }

  @Test
  void aManifestWithANegativeSizeIsRefused() throws IOException {
    ObjectNode m = manifest();
    ((ObjectNode) m.withArray("files").get(0)).put("sizeBytes", -1);
    write(m);

    Result load = loadOnB();

    assertBLoadedNothing(load);
    assertThat(load.err()).contains("has a size of -1 bytes");
  }

  @Test
  void aManifestGrownByAnotherImportsFileDoesNotLoadMoreRowsThanTheSourceHad() throws IOException {
    // an import of another table copied to B gives a genuine Fanout data file of 3 rows of the same shape
    Path staged = stagedOnB();
    source.execute("CREATE TABLE more_orders (id BIGINT PRIMARY KEY, item VARCHAR(30))");
    source.execute("INSERT INTO more_orders VALUES (3, 'three'), (4, 'four'), (5, 'five')");
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".more_orders", "--target",
        "sales.more_orders");
    a.ok("copy-rule", "add", "--filter", "sales.more_orders", "--destination", "b", "--transfer", "sync");
    a.ok("import", "--table", "sales.more_orders");
    Path newer;
    try (Stream<Path> dirs = Files.list(tmp.resolve("b/cluster/.staging/sales/more_orders"))) {
      newer = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    ObjectNode newerManifest = (ObjectNode) JSON.readTree(newer.resolve("_manifest.json").toFile());
    ObjectNode extra = (ObjectNode) newerManifest.withArray("files").get(0);
    Files.copy(newer.resolve(extra.get("name").asText()), staged.resolve("extra.parquet"));
    extra.put("name", "extra.parquet");
    ObjectNode m = (ObjectNode) JSON.readTree(staged.resolve("_manifest.json").toFile());
    ((ArrayNode) m.withArray("files")).add(extra);
    // every figure of the manifest made to agree with itself: only the recorded import can tell
    m.put("rowCount", m.get("rowCount").asLong() + extra.get("rowCount").asLong());
    m.put("sourceRowCount", m.get("rowCount").asLong());
    m.put("totalBytes", m.get("totalBytes").asLong() + extra.get("sizeBytes").asLong());
    JSON.writeValue(staged.resolve("_manifest.json").toFile(), m);

    Result load = loadOnB();

    assertThat(load.code()).as(load.out() + load.err()).isEqualTo(1);
    assertThat(load.err()).contains("says source 5 rows, staged 5, but the import was recorded with source 2, staged 2")
        .contains("nothing was loaded");
    assertThat(b.ok("table", "show", "sales.orders")).contains("last import:    never");
  }

  @Test
  void aDataFileDamagedInPlaceIsOneSentenceWithoutAStackTrace() throws IOException {
    ObjectNode m = manifest();
    Path data = stagedOnB().resolve(m.withArray("files").get(0).get("name").asText());
    Files.write(data, new byte[(int) Files.size(data)]);

    Result load = loadOnB();

    assertThat(load.code()).as(load.out() + load.err()).isNotZero();
    assertThat(load.err().strip().lines()).as(load.err()).hasSize(1);
    assertThat(load.err()).startsWith("fanout: ").doesNotContain("\tat ").doesNotContain("Exception:");
    assertThat(b.ok("table", "show", "sales.orders")).contains("last import:    never");
  }

  @Test
  void aStagedImportRowPointingOutsideTheStagingDirectoryIsRefusedAndNothingThereIsDeleted() throws Exception {
    Path elsewhere = tmp.resolve("precious");
    Files.createDirectories(elsewhere);
    Files.copy(manifestOnB(), elsewhere.resolve("_manifest.json"));
    try (Instance instanceB = Instance.open(new FanoutHome(b.home()))) {
      int changed = instanceB.transactions().run("tampering", c -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE staged_imports SET staging_path = ?")) {
          ps.setString(1, elsewhere.toUri().toString());
          return ps.executeUpdate();
        }
      });
      assertThat(changed).isEqualTo(1);
    }

    Result load = loadOnB();

    assertBLoadedNothing(load);
    assertThat(load.err()).contains("names the staging directory " + elsewhere.toUri())
        .contains("which is not this cluster's staging directory for it");
    assertThat(elsewhere.resolve("_manifest.json")).exists();
  }
}
