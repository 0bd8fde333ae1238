package dev.fanout.cli;

import dev.fanout.imports.Importer;
import dev.fanout.instance.Remotes;
import dev.fanout.instance.Instance;
import dev.fanout.failover.RoleSwitcher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout failover}: move the import of a group of tables to a mirror instance, losing no increment. */
@Command(name = "failover", description = "Make a mirror instance the importer of a group of tables (copies come back here).")
final class FailoverCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @Mixin TableGroupOptions group;
  @Option(names = "--to", required = true, description = "The mirror instance that takes over.") String to;
  @Option(names = "--dry-run", description = "Print the plan; change nothing.") boolean dryRun;
  @Option(names = "--wait", description = "Wait for pending copies and loads instead of refusing.") boolean await;
  @Option(names = "--timeout", description = "How long --wait waits (default 1h).") String timeout = "1h";

  @Override
  public Integer call() {
    try (Instance instance = root.open(); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      Importer importer = new Importer(instance, remotes, events.listener());
      new RoleSwitcher(instance, importer, events.listener()).failover(group.resolve(instance), to,
          new RoleSwitcher.Options(dryRun, await, Durations.parse(timeout, "--timeout")));
      return 0;
    }
  }
}
