package dev.fanout.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout verify}: counts and checksums of one table on two clusters and at its MariaDB source. */
class VerifyTest {
  @TempDir Path tmp;
  private TestDatabase source;
  private FanoutCli a;
  private FanoutCli b;

  @BeforeEach
  void setUp() {
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(30), price DECIMAL(10,2), qty INT,"
        + " changed DATETIME(6), day DATE, ok BOOLEAN, score DOUBLE)");
    addOrders(1, 5000);
    a = new FanoutCli(tmp.resolve("a")).initWithSource(source);
    b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");
    a.ok("instance", "add", "b", "--db-url", "jdbc:h2:file:" + tmp.resolve("b/metadata/fanout") + ";AUTO_SERVER=TRUE",
        "--user", "", "--fs", "file:///", "--basedir", tmp.resolve("b/cluster").toString());
    a.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-column", "id", "--sessions", "3");
    a.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "b", "--transfer", "sync");
    a.ok("import", "--table", "sales.orders");
    b.ok("import", "--table", "sales.orders");
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  private void addOrders(long from, long to) {
    source.execute("INSERT INTO orders SELECT seq, CONCAT('item ', seq MOD 13), seq / 7, seq MOD 7,"
        + " TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND, DATE '2026-01-01' + INTERVAL (seq MOD 90) DAY,"
        + " seq MOD 2 = 0, seq / 3.0 FROM seq_" + from + "_to_" + to);
  }

  @Test
  void everyClusterAndTheSourceAgreeAfterImportsAndCopies() {
    String out = a.ok("verify", "--table", "sales.orders", "--source");
    assertThat(out).contains("sales.orders on local: 5000 rows").contains("sales.orders on b: 5000 rows")
        .contains("sales.orders on source: 5000 rows").contains("All 3 agree.");
    String checksum = out.lines().filter(l -> l.contains("on local:")).findFirst().orElseThrow().replaceAll(".*checksum ", "");
    assertThat(out.lines().filter(l -> l.contains("checksum " + checksum))).hasSize(3);

    // rows the next increment will bring are not expected yet: the source is read up to the watermark
    addOrders(5001, 5100);
    assertThat(a.ok("verify", "--table", "sales.orders", "--source")).contains("up to the watermark id = 5000")
        .contains("All 3 agree.");
  }

  @Test
  void aChangedSourceRowAndADeletedRowOnOneClusterAreNamed() {
    source.execute("UPDATE orders SET qty = 100 WHERE id = 42");
    Result changed = a.run("verify", "--table", "sales.orders", "--source");
    assertThat(changed.code()).isEqualTo(1);
    assertThat(changed.err()).contains("sales.orders differs: source has 5000 rows (checksum")
        .contains("where local has 5000");
    assertThat(changed.err().lines()).hasSize(1);

    // one data file removed behind Fanout's back on B
    try (Instance remote = Instance.open(new FanoutHome(tmp.resolve("b")))) {
      Table t = remote.catalog().require(dev.fanout.metadata.TableName.parse("sales.orders"));
      var file = t.newScan().planFiles().iterator().next().file();
      t.newDelete().deleteFile(file).commit();
    }
    Result gone = a.run("verify", "--table", "sales.orders", "--instances", "local,b");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).containsPattern("b has \\d+ rows \\(checksum [0-9a-f]{16}\\) where local has 5000");
  }

  @Test
  void byPartitionNamesThePartitionThatDiffers() throws Exception {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "region", Types.StringType.get()));
    PartitionSpec spec = PartitionSpec.builderFor(schema).identity("region").build();
    for (String home : List.of("a", "b")) {
      try (Instance instance = Instance.open(new FanoutHome(tmp.resolve(home)))) {
        instance.catalog().ensureNamespace("hist");
        Table t = instance.catalog().catalog().createTable(TableIdentifier.of("hist", "visits"), schema, spec);
        AppendFiles append = t.newAppend();
        for (String region : List.of("eu", "us")) {
          append.appendFile(write(t, region, home.equals("b") && region.equals("us") ? 99 : 100));
        }
        append.commit();
      }
    }
    Result differs = a.run("verify", "--table", "hist.visits", "--instances", "local,b", "--by-partition");
    assertThat(differs.out()).contains("hist.visits[region=eu] on local: 100 rows").contains("hist.visits[region=us] on b: 99 rows");
    assertThat(differs.code()).isEqualTo(1);
    assertThat(differs.err()).contains("b has 199 rows").contains("in partitions [region=us]");
  }

  private static DataFile write(Table t, String region, int rows) throws java.io.IOException {
    GenericRecord record = GenericRecord.create(t.schema());
    PartitionKey key = new PartitionKey(t.spec(), t.schema());
    record.setField("region", region);
    key.partition(record);
    OutputFile out = t.io().newOutputFile(t.locationProvider().newDataLocation(t.spec(), key, region + ".parquet"));
    DataWriter<Record> writer = Parquet.writeData(out).schema(t.schema()).withSpec(t.spec()).withPartition(key)
        .createWriterFunc(GenericParquetWriter::create).build();
    try (writer) {
      for (long id = 1; id <= rows; id++) {
        writer.write(record.copy(Map.of("id", id, "region", region)));
      }
    }
    return writer.toDataFile();
  }

  @Test
  void badVerifyInputIsRefused() {
    Result missing = a.run("verify", "--table", "sales.nothing");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("table sales.nothing does not exist on instance local");
    Result unknown = a.run("verify", "--table", "sales.orders", "--instances", "local,nowhere");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("Unknown instance 'nowhere'");
    Result notImported = b.run("verify", "--table", "sales.orders", "--source");
    assertThat(notImported.code()).isEqualTo(1);
    assertThat(notImported.err()).contains("has no credentials on this instance");
  }
}
