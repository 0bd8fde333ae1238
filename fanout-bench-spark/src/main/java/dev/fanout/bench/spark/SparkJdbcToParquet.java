package dev.fanout.bench.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What a user would run without Fanout: Spark's partitioned JDBC reader on the same table, writing
 * snappy Parquet. Usage: JDBC_URL USER TABLE SPLIT_COLUMN LOWER UPPER PARTITIONS OUTPUT_DIR.
 * Prints one line: rows, seconds, rows/s (session start excluded). Use a jdbc:mysql: URL (with
 * permitMysqlScheme for the MariaDB driver) so that Spark picks its MySQL dialect and quotes with backticks.
 */
public final class SparkJdbcToParquet {
  private SparkJdbcToParquet() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().appName("jdbc-to-parquet").master("local[" + args[6] + "]")
        .config("spark.ui.enabled", "false").config("spark.sql.parquet.compression.codec", "snappy").getOrCreate();
    long start = System.nanoTime();
    Dataset<Row> rows = spark.read().format("jdbc")
        .option("url", args[0]).option("user", args[1]).option("password", "")
        .option("dbtable", args[2]).option("partitionColumn", args[3])
        .option("lowerBound", args[4]).option("upperBound", args[5]).option("numPartitions", args[6])
        .option("fetchsize", "10000").option("driver", "org.mariadb.jdbc.Driver").load();
    rows.write().mode(SaveMode.Overwrite).parquet(args[7]);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = spark.read().parquet(args[7]).count();
    System.out.printf("spark rows=%d seconds=%.2f rows_per_s=%.0f%n", count, seconds, count / seconds);
    spark.stop();
  }
}
