package dev.fanout.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.jdbc.JdbcDialects;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/**
 * The stage step of a Fanout import as a Spark job: Spark's partitioned JDBC reader reads the source once, one
 * partition per split of Fanout's plan, and writes one snappy Parquet file per split with the lake table's
 * Iceberg field ids, named as Fanout's local engine names them. Fanout then checksums the files and writes
 * the manifest, so copy and load do not know which engine staged.
 *
 * <p>Usage (spark-submit compatible; the stage spec, credentials included, comes on standard input):
 * <pre>
 *   spark-submit --master URL --class dev.fanout.spark.SparkStage fanout-spark.jar [--spec FILE] &lt; spec.json
 *   java &lt;add-opens&gt; -Duser.timezone=UTC -cp fanout-spark.jar:SPARK_JARS:DRIVER dev.fanout.spark.SparkStage --master local[2]
 * </pre>
 * Exit status 0 when the files are in place; otherwise 1, with the reason in the result file.
 */
public final class SparkStage {
  /** Where Spark 3.3+ takes a Parquet field id from (with {@code spark.sql.parquet.fieldId.write.enabled}). */
  static final String FIELD_ID_KEY = "parquet.field.id";
  /** Spark's output committer works here, under the staging directory; the job leaves nothing of it behind. */
  static final String WORK_DIR = "_spark";

  private SparkStage() {}

  public static void main(String[] args) throws IOException {
    String master = null;
    String specFile = "-";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--master" -> master = args[i + 1];
        case "--spec" -> specFile = args[i + 1];
        default -> usage("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) {
      usage("every option takes a value");
    }
    StageSpec spec;
    try (InputStream in = "-".equals(specFile) ? System.in : new FileInputStream(specFile)) {
      spec = StageSpec.read(in);
    }
    long start = System.nanoTime();
    SparkSession spark = session(spec, master);
    StageResult result;
    try {
      result = StageResult.success(stage(spark, spec));
      System.err.printf("fanout-spark: staged %d rows in %d file(s) in %.1f s%n", result.rows(), result.files().size(),
          (System.nanoTime() - start) / 1e9);
    } catch (RuntimeException | IOException e) {
      result = StageResult.failure(e);
      System.err.println("fanout-spark: the stage failed: " + result.error());
    } finally {
      spark.stop();
    }
    result.write(spec.resultFile());
    System.exit(result.error() == null ? 0 : 1);
  }

  private static void usage(String problem) {
    System.err.println("fanout-spark: " + problem + "; usage: SparkStage [--master MASTER] [--spec FILE|-] < spec.json");
    System.exit(2);
  }

  private static SparkSession session(StageSpec spec, String master) {
    SparkSession.Builder b = SparkSession.builder()
        .appName(spec.application())
        // values mean what they mean in the lake, whatever the zone of the machines
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.caseSensitive", "true")
        .config("spark.sql.parquet.compression.codec", "snappy")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.parquet.fieldId.write.enabled", "true")
        .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
        .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
        // as Fanout's own clusters: no Hadoop .crc side files (Fanout checks each file with CRC-32C), no _SUCCESS
        .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
        .config("spark.hadoop.fs.file.impl.disable.cache", "true")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
    if (master != null) {
      b.master(master);
      if (master.startsWith("local")) {
        // one process on this machine: no web UI, and nothing listens beyond the loopback interface
        b.config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
      }
    }
    return b.getOrCreate();
  }

  /** Reads every split and leaves one Parquet file per non-empty split in the staging directory. */
  static List<StagedPart> stage(SparkSession spark, StageSpec spec) throws IOException {
    List<LakeColumn> columns = LakeColumn.parse(spec.schemaJson());
    boolean numericBooleans = spec.isMySql();
    if (spec.url().startsWith("jdbc:mariadb:")) {
      JdbcDialects.registerDialect(new MariaDbDialect());
    }
    Properties props = spec.jdbcProperties();
    props.setProperty("fetchsize", Integer.toString(spec.fetchSize()));
    // every column read straight as its lake type, with the JDBC getter Fanout's local engine uses for it
    props.setProperty("customSchema", columns.stream().map(c -> c.ddl(numericBooleans)).collect(Collectors.joining(", ")));
    Dataset<Row> rows = spark.read().jdbc(spec.url(), "(" + spec.query() + ") fanout_source",
        spec.predicates().toArray(String[]::new), props);
    String[] names = rows.columns();
    if (names.length != columns.size()) {
      throw new IllegalStateException("the source query returns " + names.length + " columns, the staged schema has "
          + columns.size());
    }
    Column[] lake = new Column[columns.size()];
    for (int i = 0; i < lake.length; i++) {
      LakeColumn c = columns.get(i);
      Column value = col("`" + names[i].replace("`", "``") + "`");
      if (c.readType(numericBooleans) != c.sparkType()) {
        value = booleanOf(value, c.name());
      }
      lake[i] = value.as(c.name(), fieldId(c.fieldId()));
    }
    Path work = new Path(spec.output(), WORK_DIR);
    rows.select(lake).write().mode(SaveMode.Overwrite).parquet(work.toString());
    return StagedPart.place(spark.sparkContext().hadoopConfiguration(), work, new Path(spec.output()));
  }

  /** 0 and 1 are booleans; anything else fails the stage naming the column, as the local engine does. */
  private static Column booleanOf(Column number, String column) {
    return when(number.isNull(), lit(null).cast(DataTypes.BooleanType))
        .when(number.equalTo(1), lit(true))
        .when(number.equalTo(0), lit(false))
        .otherwise(raise_error(concat(lit("Column " + column + " holds "), number.cast(DataTypes.StringType),
            lit(", which is not a boolean (0 or 1); MariaDB's BOOLEAN is TINYINT(1): declare it TINYINT, or import"
                + " a view that casts it to SIGNED."))));
  }

  private static Metadata fieldId(int id) {
    return new MetadataBuilder().putLong(FIELD_ID_KEY, id).build();
  }
}
