package dev.fanout.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;

/**
 * {@code _manifest.json}: the complete description of a staging directory, written last. A directory
 * without it is incomplete and is never loaded or copied. It carries everything a load needs on any
 * cluster: the schema with Iceberg field ids, the files with checksums, and the counts to validate.
 * {@code keyFiles} hold every primary key at the source when an incremental merge detects deletes: they
 * are copied with the data files and tell any cluster's load which keys are gone.
 */
public record StageManifest(
    int formatVersion,
    String importId,
    String table,
    String source,
    String importType,
    String incrMinValue,
    String incrMaxValue,
    long sourceRowCount,
    long rowCount,
    long totalBytes,
    int sessions,
    String schemaJson,
    List<StagedFile> files,
    Instant createdAt,
    List<StagedFile> keyFiles) {

  public static final String FILE_NAME = "_manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public StageManifest {
    files = List.copyOf(files);
    keyFiles = keyFiles == null ? List.of() : List.copyOf(keyFiles);
  }

  /** A manifest without key files: every import but an incremental merge that detects deletes. */
  public StageManifest(int formatVersion, String importId, String table, String source, String importType,
      String incrMinValue, String incrMaxValue, long sourceRowCount, long rowCount, long totalBytes, int sessions,
      String schemaJson, List<StagedFile> files, Instant createdAt) {
    this(formatVersion, importId, table, source, importType, incrMinValue, incrMaxValue, sourceRowCount, rowCount,
        totalBytes, sessions, schemaJson, files, createdAt, List.of());
  }

  public Schema schema() {
    return SchemaParser.fromJson(schemaJson);
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("manifest cannot be serialized", e);
    }
  }

  public static StageManifest fromJson(InputStream in) throws IOException {
    return JSON.readValue(in, StageManifest.class);
  }
}
