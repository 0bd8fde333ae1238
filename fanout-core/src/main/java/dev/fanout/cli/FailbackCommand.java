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

/** {@code fanout failback}: on the original primary, take a failed-over group of tables back once its backlog is here. */
@Command(name = "failback", description = "Take back the import of tables a failover moved away, once their copies are all here.")
final class FailbackCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @Mixin TableGroupOptions group;
  @Option(names = "--dry-run", description = "Print the plan; change nothing.") boolean dryRun;
  @Option(names = "--wait", description = "Wait for the backlog of copies instead of refusing.") boolean await;
  @Option(names = "--timeout", description = "How long --wait waits (default 1h).") String timeout = "1h";

  @Override
  public Integer call() {
    try (Instance instance = root.open(); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      Importer importer = new Importer(instance, remotes, events.listener());
      new RoleSwitcher(instance, importer, events.listener()).failback(group.resolve(instance),
          new RoleSwitcher.Options(dryRun, await, Durations.parse(timeout, "--timeout")));
      return 0;
    }
  }
}
