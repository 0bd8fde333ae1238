package dev.fanout.cli;

import dev.fanout.instance.Remotes;
import dev.fanout.instance.Instance;
import dev.fanout.imports.ImportResult;
import dev.fanout.imports.Importer;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.TableName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "import", description = "Import one table: read the source once, stage, load in one commit.")
final class ImportCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;

  @Option(names = "--table", required = true, description = "DB.TABLE to import.") String table;

  @Override
  public Integer call() {
    TableName name = TableName.parse(table);
    try (Instance instance = root.open(); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      ImportResult result = new Importer(instance, remotes, events.listener()).run(name);
      if (result.loads().isEmpty()) {
        System.out.println("Nothing new was copied to " + name + " since its last load.");
      }
      for (ImportStatistics s : result.loads()) {
        System.out.printf("Imported %s: source %d, staged %d, loaded %d rows; table has %d rows%s%n", name,
            s.sourceRows(), s.stagedRows(), s.loadedRows(), s.lakeRows(), result.resumed() ? " (resumed)" : "");
      }
      return 0;
    }
  }
}
