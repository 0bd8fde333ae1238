package dev.fanout.cli;

import dev.fanout.replication.CopyRuleRepository;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.replication.CopyRule;
import dev.fanout.replication.DataTransfer;
import dev.fanout.replication.TableFilter;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.RemoteInstance;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "copy-rule", description = "Manage copy rules (copy_tables): which tables go to which instance.",
    subcommands = {CopyRuleCommand.Add.class, CopyRuleCommand.ListRules.class, CopyRuleCommand.Remove.class})
final class CopyRuleCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", description = "Copy the tables matching a filter to a remote instance.")
  static final class Add implements Callable<Integer> {
    @ParentCommand CopyRuleCommand parent;
    @Option(names = "--filter", required = true, description = "';'-separated db.table patterns with *.") String filter;
    @Option(names = "--destination", required = true, description = "A remote instance.") String destination;
    @Option(names = "--allow-backlog", description = "Let incremental imports go on while copies to this destination"
        + " are pending; they queue up and arrive in order (default: refuse the next increment).")
    boolean allowBacklog;
    @Option(names = "--transfer", description = "async (default: the server copies after the import) or sync (the import copies before its own load).") String transfer = "async";

    @Override
    public Integer call() {
      TableFilter parsed = TableFilter.parse(filter);
      DataTransfer mode = DataTransfer.of(transfer);
      try (Instance instance = parent.root.open()) {
        refuseTablesTheDestinationImports(instance, instance.remoteInstances().require(destination), parsed);
        CopyRule rule = new CopyRuleRepository(instance.transactions()).add(parsed, destination, mode, allowBacklog);
        long matching = instance.tables().list().stream().map(ImportTable::target).filter(parsed::matches).count();
        System.out.println("Added copy rule " + rule.id() + ": " + parsed + " -> " + destination + " ("
            + mode.code() + "), matching " + matching + " table(s) now");
        if (mode == DataTransfer.ASYNCHRONOUS) {
          System.out.println("Asynchronous copies are delivered by 'fanout server'; keep one running for this instance.");
        }
        if (matching == 0) {
          System.err.println("fanout: warning: filter '" + parsed + "' matches no configured table yet.");
        }
        return 0;
      }
    }
  }

  /**
   * A table the destination imports from its source itself (copy_slave = 0) must not also get copies: each
   * copy would overwrite the destination's own import. A destination that cannot be reached now is not
   * checked; the warning says so.
   */
  static void refuseTablesTheDestinationImports(Instance instance, RemoteInstance remote, TableFilter filter) {
    List<String> own;
    try (Instance destination = instance.openRemote(remote)) {
      own = destination.tables().list().stream().filter(t -> !t.copySlave()).map(ImportTable::target)
          .filter(filter::matches).map(Object::toString).toList();
    } catch (FanoutException e) {
      System.err.println("fanout: warning: could not check which tables instance '" + remote.name()
          + "' imports itself: " + e.getMessage());
      return;
    }
    if (!own.isEmpty()) {
      throw new FanoutException("Instance '" + remote.name() + "' imports " + String.join(", ", own) + " itself"
          + " (copy_slave = 0), so copies would overwrite its own imports; narrow --filter to leave "
          + (own.size() == 1 ? "it" : "them") + " out.");
    }
  }

  @Command(name = "list", description = "List copy rules.")
  static final class ListRules implements Callable<Integer> {
    @ParentCommand CopyRuleCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        for (CopyRule r : new CopyRuleRepository(instance.transactions()).list()) {
          System.out.printf("%-5d %-40s -> %-16s %s%s%n", r.id(), r.filter(), r.destination(), r.transfer().code(),
              r.allowBacklog() ? " allow-backlog" : "");
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove a copy rule.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand CopyRuleCommand parent;
    @Parameters(index = "0", paramLabel = "ID", description = "The rule's id (see 'fanout copy-rule list').") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        new CopyRuleRepository(instance.transactions()).remove(id);
        System.out.println("Removed copy rule " + id);
        return 0;
      }
    }
  }
}
