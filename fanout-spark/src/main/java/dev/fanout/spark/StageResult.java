package dev.fanout.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the job tells Fanout, in the result file: the files it left ({@code name}, {@code rows}, {@code bytes}
 * each), or why it failed ({@code error}, one sentence). Never the spec, which holds credentials.
 */
record StageResult(List<StagedPart> files, String error) {

  static StageResult success(List<StagedPart> files) {
    return new StageResult(List.copyOf(files), null);
  }

  static StageResult failure(Throwable e) {
    return new StageResult(List.of(), reason(e));
  }

  long rows() {
    return files.stream().mapToLong(StagedPart::rows).sum();
  }

  /**
   * The source's own error (the first SQLException), else the innermost cause, names the problem (a refused
   * connection, a value that is not a boolean); Spark's wrappers around it ("Job aborted due to stage
   * failure: Task 0 in stage 1.0 failed...") do not.
   */
  static String reason(Throwable e) {
    Throwable root = e;
    while (!(root instanceof java.sql.SQLException) && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    message = message.lines().findFirst().orElse(message).replaceFirst("^\\[[A-Z_]+\\] ", "")
        .replaceFirst(" SQLSTATE: \\w+$", "");
    return message;
  }

  void write(String file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    if (error != null) {
      root.put("error", error);
    } else {
      ArrayNode list = root.putArray("files");
      for (StagedPart f : files) {
        list.addObject().put("name", f.name()).put("rows", f.rows()).put("bytes", f.bytes());
      }
    }
    Files.write(Path.of(file), json.writeValueAsBytes(root));
  }
}
