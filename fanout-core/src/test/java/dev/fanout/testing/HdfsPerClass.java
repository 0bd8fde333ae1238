package dev.fanout.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process HDFS for all the tests of a class ({@code @RegisterExtension static final HdfsPerClass
 * HDFS = new HdfsPerClass();}): started before the first, shut down and deleted after the last.
 */
public final class HdfsPerClass implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private Hdfs hdfs;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("fanout-dfs");
    hdfs = Hdfs.start(dir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    hdfs.close(); // deletes its own storage, usually
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public Hdfs cluster() {
    return hdfs;
  }
}
