package dev.fanout.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.failure.FanoutException;
import dev.fanout.cluster.Cluster;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SplitReader;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark stage engine: runs the stage step as a Spark job in its own process (fanout-spark's
 * {@code SparkStage}; Fanout itself never loads Spark). The job reads the same split plan with Spark's
 * partitioned JDBC reader, one partition per split, and leaves one Parquet file per split, written with the
 * lake table's field ids; this writer then checksums each file, so the manifest is the same as the local
 * engine's and copy, load and verify do not change.
 *
 * <p>The job gets its spec, the source's credentials included, on standard input; the command line holds
 * nothing secret, and the job's output (kept in Fanout's debug log) never holds the spec.
 */
public final class SparkStageWriter implements StageWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SparkStageWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LINES_KEPT = 30;

  private final Cluster cluster;
  private final SourceSessions sessions;
  private final StageSettings settings;

  public SparkStageWriter(Cluster cluster, SourceSessions sessions, StageSettings settings) {
    this.cluster = cluster;
    this.sessions = sessions;
    this.settings = settings;
  }

  @Override
  public List<StagedFile> write(TableRead read, List<SqlFragment> splits, Schema schema, Path dir, LongConsumer progress) {
    requireSparkTypes(read, schema);
    Path target = cluster.fs().makeQualified(dir);
    if (!settings.sparkMaster().startsWith("local") && "file".equals(target.toUri().getScheme())) {
      throw new FanoutException("Spark master " + settings.sparkMaster() + " runs executors on other machines, which"
          + " cannot write into this instance's local directory " + cluster.basedir() + "; use a local[N] master, or"
          + " an instance whose cluster is a shared file system (hdfs://, s3a://).");
    }
    java.nio.file.Path result = null;
    LastLines lastLines = new LastLines();
    try {
      cluster.fs().mkdirs(target);
      result = Files.createTempFile("fanout-spark-", ".json");
      String application = "fanout stage " + read.displayName() + " " + dir.getName();
      int exit = run(SparkLaunch.command(settings, sessions.url(), application),
          spec(read, splits, schema, target, result, application), read, lastLines);
      JsonNode outcome = Files.size(result) == 0 ? JSON.createObjectNode() : JSON.readTree(result.toFile());
      if (exit != 0 || outcome.hasNonNull("error") || !outcome.has("files")) {
        String reason = outcome.hasNonNull("error") ? outcome.get("error").asText()
            : "the job exited with status " + exit + " and reported no files; its last output:\n"
                + (lastLines.text().isBlank() ? "(none)" : lastLines.text());
        throw new FanoutException("The Spark stage of " + read.displayName() + " failed: " + reason);
      }
      List<StagedFile> files = stagedFiles(read, target, outcome);
      progress.accept(files.stream().mapToLong(StagedFile::rowCount).sum());
      return files;
    } catch (IOException e) {
      throw new FanoutException("The Spark stage of " + read.displayName() + " failed: " + e.getMessage(), e);
    } finally {
      if (result != null) {
        result.toFile().delete();
      }
    }
  }

  /** A lake time has no Spark type: such a table is refused before any job starts. */
  private static void requireSparkTypes(TableRead read, Schema schema) {
    for (Types.NestedField f : schema.columns()) {
      if (f.type().typeId() == Type.TypeID.TIME || !f.type().isPrimitiveType()) {
        throw new FanoutException("Column " + f.name() + " of " + read.displayName() + " lands as " + f.type()
            + ", which Spark cannot write; stage this table with the local engine ('--engine local').");
      }
    }
  }

  private byte[] spec(TableRead read, List<SqlFragment> splits, Schema schema, Path target, java.nio.file.Path result,
      String application) throws IOException {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("application", application);
    spec.put("url", sessions.url());
    spec.put("driver", SparkLaunch.driverClass(sessions.url()));
    Map<String, String> props = new LinkedHashMap<>();
    sessions.connectionProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    spec.put("connectionProperties", props);
    // the staged columns with no filter: the read's filter is in every split's predicate
    spec.put("query", new TableRead(read.displayName(), read.from(), read.columns(), read.readers(), SqlFragment.TRUE)
        .select(sessions.dialect(), SqlFragment.TRUE));
    List<String> predicates = new ArrayList<>();
    for (SqlFragment split : splits) {
      predicates.add(SqlLiterals.inline(read.filter().and(split), sessions.dialect()));
    }
    spec.put("predicates", predicates);
    spec.put("schemaJson", SchemaParser.toJson(schema));
    spec.put("fetchSize", SplitReader.FETCH_SIZE);
    spec.put("output", target.toString());
    spec.put("resultFile", result.toString());
    return JSON.writeValueAsBytes(spec);
  }

  /** Starts the job, hands it the spec and waits; its output goes to the debug log, the last lines kept. */
  private int run(List<String> command, byte[] spec, TableRead read, LastLines lastLines) throws IOException {
    LOG.info("Staging {} with Spark ({}): {}", read.displayName(), settings.sparkMaster(), String.join(" ", command));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (settings.sparkMaster().startsWith("local")) {
      // a local job listens on the loopback interface only
      builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    }
    Process process = builder.start();
    Thread pump = new Thread(() -> pump(process.getInputStream(), lastLines), "fanout-spark-output");
    pump.setDaemon(true);
    pump.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(spec);
    } catch (IOException e) {
      // the job died before reading its spec; its exit status and output tell why
      LOG.debug("Could not hand the Spark job its spec: {}", e.getMessage());
    }
    try {
      int exit = process.waitFor();
      pump.join(5_000);
      return exit;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new FanoutException("The import was interrupted while Spark staged " + read.displayName() + ".", e);
    }
  }

  private static void pump(InputStream out, LastLines lastLines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        LOG.debug("spark: {}", line);
        lastLines.add(line);
      }
    } catch (IOException e) {
      LOG.debug("The Spark job's output ended: {}", e.getMessage());
    }
  }

  /** The job's last lines of output, for the error when it fails without saying why. */
  private static final class LastLines {
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
      lines.addLast(line);
      if (lines.size() > LINES_KEPT) {
        lines.removeFirst();
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }
  }

  /**
   * The files the job reports, each checked against the staging directory (present, of the reported size)
   * and checksummed with CRC-32C as the local engine does while writing.
   */
  private List<StagedFile> stagedFiles(TableRead read, Path dir, JsonNode result) throws IOException {
    List<StagedFile> files = new ArrayList<>();
    for (JsonNode f : result.path("files")) {
      String name = f.path("name").asText();
      Path file = new Path(dir, name);
      FileStatus st = cluster.fs().getFileStatus(file);
      if (st.getLen() != f.path("bytes").asLong()) {
        throw new FanoutException("The Spark stage of " + read.displayName() + " left " + file + " with " + st.getLen()
            + " bytes, not the " + f.path("bytes").asLong() + " it wrote; the staging directory is damaged.");
      }
      files.add(new StagedFile(name, st.getLen(), f.path("rows").asLong(), crc32c(file)));
    }
    return files;
  }

  private String crc32c(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = cluster.fs().open(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.hex(crc.getValue());
  }
}
