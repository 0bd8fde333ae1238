package dev.fanout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine end to end, through the fanout launcher: one MariaDB table with many types is imported
 * twice on one instance, by the local engine and by the Spark engine (local[2], first as a local JVM, then
 * through spark-submit); both land the same content (fanout verify's checksums), the Spark-staged import is
 * copied to a second instance and loaded there as any other, increments work the same way, and a value the
 * local engine refuses is refused by Spark too.
 */
class SparkEngineTest {
  private static final String SPARK_CLASSES = System.getProperty("fanout.spark.classes",
      Path.of("target/classes").toAbsolutePath().toString());

  @TempDir Path tmp;
  private MariaDb source;
  private FanoutProcess a;
  private FanoutProcess b;

  @BeforeEach
  void setUp() {
    source = new MariaDb();
    source.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, qty INT, big BIGINT, price DECIMAL(12,2),"
        + " wide DECIMAL(30,10), name VARCHAR(60), day DATE, changed DATETIME(6), stamp TIMESTAMP(6) NULL,"
        + " score DOUBLE, ratio FLOAT, ok BOOLEAN, small TINYINT UNSIGNED, counter INT UNSIGNED, raw VARBINARY(16))");
    addItems(1, 3000);
    a = new FanoutProcess(tmp.resolve("a"));
    b = new FanoutProcess(tmp.resolve("b"));
    // a job of a few thousand rows: the C1 compiler alone saves a third of Spark's start-up
    a.ok("init", "--spark-master", "local[2]", "--spark-jar", SPARK_CLASSES,
        "--spark-java-opts=-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    a.okWithStdin(source.password, "connection", "add", "src", "--url", source.url(), "--user", source.user,
        "--password-stdin", "--max-sessions", "3");
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    for (String engine : List.of("local", "spark")) {
      a.ok("table", "add", "--connection", "src", "--source", source.name + ".items", "--target", "shop.items_" + engine,
          "--import", "incr", "--incr-column", "id", "--sessions", "3", "--engine", engine);
    }
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  /** Rows with NULLs in every column every 7th row, Unicode text, a DST-gap wall-clock time, old and far dates. */
  private void addItems(long from, long to) {
    source.execute("INSERT INTO items SELECT seq, IF(seq MOD 7 = 0, NULL, seq MOD 1000 - 500), seq * 1000003,"
        + " IF(seq MOD 7 = 1, NULL, (seq MOD 100000) / 100 - 300), seq * 12345.6789012345,"
        + " IF(seq MOD 7 = 2, NULL, CONCAT('Grüße ✓ 日本 ', seq, IF(seq MOD 11 = 0, ' 🚀', ''))),"
        + " IF(seq MOD 7 = 3, NULL, DATE '1899-12-31' + INTERVAL (seq * 37) DAY),"
        + " IF(seq MOD 7 = 4, NULL, IF(seq MOD 50 = 0, TIMESTAMP '2024-03-31 02:30:00.123456',"
        + "   TIMESTAMP '1970-01-01 00:00:00' + INTERVAL seq * 86413 SECOND + INTERVAL seq MICROSECOND)),"
        + " IF(seq MOD 7 = 5, NULL, TIMESTAMP '2020-06-01 12:00:00.5' + INTERVAL seq MINUTE),"
        + " IF(seq MOD 7 = 6, NULL, seq / 3.0), seq / 8.0, IF(seq MOD 7 = 0, NULL, seq MOD 2), seq MOD 256,"
        + " 4294967295 - seq, IF(seq MOD 5 = 0, NULL, UNHEX(LPAD(HEX(seq), 8, '0')))"
        + " FROM (SELECT CAST(seq AS SIGNED) AS seq FROM seq_" + from + "_to_" + to + ") s");
  }

  @Test
  void sparkEngineStagesTheSameContentAsTheLocalEngine() throws IOException {
    a.ok("copy-rule", "add", "--filter", "shop.items_spark", "--destination", "b", "--transfer", "sync");
    assertThat(a.ok("import", "--table", "shop.items_local")).contains("loaded 3000 rows");
    assertThat(a.ok("import", "--table", "shop.items_spark")).contains("staged 3000 rows").contains("loaded 3000 rows");

    // the copy on b is an ordinary staging directory: its manifest lists each file with the CRC-32C it has
    JsonNode manifest = onlyManifest(tmp.resolve("b/cluster/.staging/shop/items_spark"));
    assertThat(manifest.path("rowCount").asLong()).isEqualTo(3000);
    assertThat(manifest.path("files")).hasSize(3);
    Path dir = tmp.resolve("b/cluster/.staging/shop/items_spark").resolve(manifest.path("importId").asText());
    for (JsonNode f : manifest.path("files")) {
      assertThat(f.path("name").asText()).matches("part-0000[0-2]-00000\\.parquet");
      assertThat(f.path("crc32c").asText()).isEqualTo(crc32c(dir.resolve(f.path("name").asText())));
    }
    b.ok("import", "--table", "shop.items_spark");
    String checksum = sameEverywhere(3000, "up to the watermark id = 3000");

    // an increment, staged by each engine; Spark's through spark-submit now, as a cluster's master takes it
    Path submit = useSparkSubmit(tmp.resolve("a/fanout.properties"));
    addItems(3001, 3500);
    assertThat(a.ok("import", "--table", "shop.items_local")).contains("loaded 500 rows");
    assertThat(a.ok("import", "--table", "shop.items_spark")).contains("loaded 500 rows");
    assertThat(Files.readString(submit.getParent().getParent().resolve("submitted"))).contains("--master local[2]")
        .contains("--class dev.fanout.spark.SparkStage").doesNotContainIgnoringCase("password");
    b.ok("import", "--table", "shop.items_spark");
    assertThat(sameEverywhere(3500, "up to the watermark id = 3500")).isNotEqualTo(checksum);

    // what the local engine refuses, the Spark engine refuses: MariaDB's BOOLEAN is TINYINT(1), and 5 is no boolean
    source.execute("INSERT INTO items (id, ok) VALUES (3501, 5)");
    FanoutProcess.Result spark = a.run(null, "import", "--table", "shop.items_spark");
    FanoutProcess.Result local = a.run(null, "import", "--table", "shop.items_local");
    assertThat(spark.code()).isEqualTo(1);
    assertThat(spark.err()).contains("The Spark stage of").contains("Column ok holds 5, which is not a boolean (0 or 1)");
    assertThat(local.code()).isEqualTo(1);
    assertThat(local.err()).contains("Column ok holds 5, which is not a boolean (0 or 1)");
  }

  /** Points the instance's Spark engine at spark-submit (a test installation from the build's Spark jars). */
  private Path useSparkSubmit(Path settingsFile) throws IOException {
    Path submit = SparkDistribution.create(tmp.resolve("spark-home"),
        Path.of(SPARK_CLASSES).resolveSibling("spark-classpath.txt"));
    Path jar = SparkDistribution.jobJar(Path.of(SPARK_CLASSES), tmp.resolve("fanout-spark.jar"));
    Properties settings = new Properties();
    try (Reader r = Files.newBufferedReader(settingsFile)) {
      settings.load(r);
    }
    settings.setProperty("spark.submit", submit.toString());
    settings.setProperty("spark.jar", jar.toString());
    try (Writer w = Files.newBufferedWriter(settingsFile)) {
      settings.store(w, "Fanout instance settings, with spark-submit");
    }
    return submit;
  }

  /**
   * Both tables match the source, the Spark-staged one on both instances, with one and the same checksum;
   * returns it.
   */
  private String sameEverywhere(long rows, String scope) {
    String spark = a.ok("verify", "--table", "shop.items_spark", "--source");
    String local = a.ok("verify", "--table", "shop.items_local", "--source");
    assertThat(spark).contains("shop.items_spark on local: " + rows + " rows").contains("shop.items_spark on b: " + rows
        + " rows").contains(scope).contains("All 3 agree.");
    assertThat(local).contains("shop.items_local on local: " + rows + " rows").contains("All 2 agree.");
    String checksum = checksumOn(spark, "local");
    assertThat(checksumOn(local, "local")).isEqualTo(checksum);
    assertThat(checksumOn(spark, "b")).isEqualTo(checksum);
    return checksum;
  }

  private static String checksumOn(String verifyOutput, String place) {
    return verifyOutput.lines().filter(l -> l.contains(" on " + place + ": ")).findFirst().orElseThrow()
        .replaceAll(".*checksum (\\w+).*", "$1");
  }

  private static JsonNode onlyManifest(Path tableStaging) throws IOException {
    try (Stream<Path> files = Files.walk(tableStaging)) {
      List<Path> manifests = files.filter(p -> p.getFileName().toString().equals("_manifest.json")).toList();
      assertThat(manifests).hasSize(1);
      return new ObjectMapper().readTree(manifests.get(0).toFile());
    }
  }

  private static String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(Files.readAllBytes(file));
    return String.format("%08x", crc.getValue());
  }
}
