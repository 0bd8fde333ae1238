package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.jdbc.JdbcUrls;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code fanout upgrade}: migrates the metadata schema to this Fanout's version (servers never do it themselves). */
@Command(name = "upgrade", description = "Bring the metadata database's schema to this Fanout's version.")
final class UpgradeCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

  @Override
  public Integer call() {
    try (Instance instance = root.open()) {
      System.out.println("Metadata database " + JdbcUrls.redact(instance.settings().metadataUrl())
          + " is at schema version " + MetadataDatabase.SCHEMA_VERSION);
      return 0;
    }
  }
}
