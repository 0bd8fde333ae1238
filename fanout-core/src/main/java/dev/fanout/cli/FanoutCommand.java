package dev.fanout.cli;

import dev.fanout.instance.Instance;
import dev.fanout.config.FanoutHome;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    version = "fanout 0.1.0",
    description = "Read each source table once, land it on every cluster.",
    subcommands = {
        InitCommand.class,
        ConnectionCommand.class,
        TableCommand.class,
        ImportCommand.class,
        InstanceCommand.class,
        CopyRuleCommand.class,
        CopyDagCommand.class,
        DagCommand.class,
        AirflowCommand.class,
        WaitCommand.class,
        ServerCommand.class,
        JobsCommand.class,
        StatusCommand.class,
        TokenCommand.class,
        UpgradeCommand.class,
        VerifyCommand.class,
        MirrorCommand.class,
        MirrorRuleCommand.class,
        FailoverCommand.class,
        FailbackCommand.class,
        NotifyCommand.class,
        DemoCommand.class,
        CompletionCommand.class,
        HelpCommand.class,
    })
public final class FanoutCommand implements Runnable {
  @Option(names = "--home", description = "Instance home (default: $FANOUT_HOME, else ./fanout-home).")
  Path home;

  FanoutHome home() {
    return FanoutHome.resolve(home);
  }

  Instance open() {
    return Instance.open(home());
  }

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
