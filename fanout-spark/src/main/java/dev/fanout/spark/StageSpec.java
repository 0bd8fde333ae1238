package dev.fanout.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one stage job does, as Fanout's {@code SparkStageWriter} sends it on the job's standard input (never
 * on the command line: the connection properties hold the source's password).
 *
 * @param application the Spark application name
 * @param url the source's JDBC URL
 * @param driver the JDBC driver class
 * @param connectionProperties user, password and the driver settings Fanout's own sessions use
 * @param query the SELECT of the staged columns, without a WHERE: the read's rows are the union of the predicates
 * @param predicates one WHERE condition per split, parameters already inlined as literals; one Spark partition each
 * @param schemaJson the staged schema as Iceberg schema JSON: field ids, names and lake types, in the query's order
 * @param fetchSize rows per JDBC round trip
 * @param output the staging directory (a Hadoop path): the job leaves exactly its Parquet files there
 * @param resultFile a local file the job writes its {@link StageResult} to
 */
record StageSpec(
    String application,
    String url,
    String driver,
    Map<String, String> connectionProperties,
    String query,
    List<String> predicates,
    String schemaJson,
    int fetchSize,
    String output,
    String resultFile) {

  StageSpec {
    connectionProperties = Map.copyOf(connectionProperties);
    predicates = List.copyOf(predicates);
  }

  static StageSpec read(InputStream in) throws IOException {
    JsonNode n = new ObjectMapper().readTree(in);
    Map<String, String> props = new LinkedHashMap<>();
    n.path("connectionProperties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
    List<String> predicates = new ArrayList<>();
    n.path("predicates").forEach(p -> predicates.add(p.asText()));
    if (predicates.isEmpty()) {
      throw new IllegalArgumentException("the stage spec has no predicates (one per split is needed)");
    }
    return new StageSpec(text(n, "application"), text(n, "url"), text(n, "driver"), props, text(n, "query"),
        predicates, text(n, "schemaJson"), n.path("fetchSize").asInt(10_000), text(n, "output"),
        text(n, "resultFile"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("the stage spec has no " + field);
    }
    return v.asText();
  }

  /** The JDBC properties of Spark's reader: the connection's own, plus the driver class. */
  Properties jdbcProperties() {
    Properties p = new Properties();
    p.putAll(connectionProperties);
    p.setProperty("driver", driver);
    return p;
  }

  boolean isMySql() {
    return url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:");
  }
}
