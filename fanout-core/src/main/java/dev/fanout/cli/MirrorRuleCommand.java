package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.replication.TableFilter;
import dev.fanout.mirror.MirrorRule;
import dev.fanout.mirror.MirrorRuleRepository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fanout sync-rule}: which lake tables the server syncs to which instances after every commit. */
@Command(name = "sync-rule", aliases = "mirror-rule", description = "Sync tables to another instance after every commit (run by 'fanout server').",
    subcommands = {MirrorRuleCommand.Add.class, MirrorRuleCommand.ListRules.class, MirrorRuleCommand.Remove.class})
final class MirrorRuleCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "add", description = "Sync every table matching the filter to an instance after each new snapshot.")
  static final class Add implements Callable<Integer> {
    @ParentCommand MirrorRuleCommand parent;
    @Option(names = "--filter", required = true, description = "';'-separated db.table patterns, '*' as wildcard")
    String filter;
    @Option(names = "--to", required = true, description = "The destination instance.") String to;

    @Override
    public Integer call() {
      TableFilter parsed = TableFilter.parse(filter);
      try (Instance instance = parent.root.open()) {
        CopyRuleCommand.refuseTablesTheDestinationImports(instance, instance.remoteInstances().require(to), parsed);
        long id = new MirrorRuleRepository(instance.transactions()).add(parsed, to);
        System.out.println("Sync rule " + id + ": tables matching '" + parsed + "' are synced to " + to
            + " after every commit, while 'fanout server' runs.");
        return 0;
      }
    }
  }

  @Command(name = "list", description = "List sync rules.")
  static final class ListRules implements Callable<Integer> {
    @ParentCommand MirrorRuleCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        for (MirrorRule r : new MirrorRuleRepository(instance.transactions()).list()) {
          System.out.println(r.id() + "\t" + r.filter() + "\t-> " + r.destination());
        }
        return 0;
      }
    }
  }

  @Command(name = "remove", description = "Remove a sync rule by its id.")
  static final class Remove implements Callable<Integer> {
    @ParentCommand MirrorRuleCommand parent;
    @Parameters(index = "0", description = "rule id (see 'fanout sync-rule list')") long id;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        new MirrorRuleRepository(instance.transactions()).remove(id);
        System.out.println("Sync rule " + id + " removed.");
        return 0;
      }
    }
  }
}
