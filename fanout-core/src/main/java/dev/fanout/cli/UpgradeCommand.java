package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.jdbc.JdbcUrls;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fanout upgrade}: migrates the metadata schema to this Fanout's version (servers never do it themselves)
 * and gives an embedded database an older Fanout made without a password one.
 */
@Command(name = "upgrade", description = "Bring the metadata database's schema to this Fanout's version (and give an"
    + " embedded one without a password a password).")
final class UpgradeCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

  @Override
  public Integer call() throws java.io.IOException {
    if (root.home().securePasswordlessEmbeddedDatabase()) {
      System.out.println("Gave the embedded metadata database of " + root.home().dir() + " a password, sealed in the home");
    }
    try (Instance instance = root.open()) {
      System.out.println("Metadata database " + JdbcUrls.redact(instance.settings().metadataUrl())
          + " is at schema version " + MetadataDatabase.SCHEMA_VERSION);
      return 0;
    }
  }
}
