package dev.fanout.cli;

import dev.fanout.instance.Remotes;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.TableName;
import dev.fanout.mirror.MirrorRequest;
import dev.fanout.mirror.MirrorResult;
import dev.fanout.mirror.TableMirror;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout sync}: copy what changed in a lake table since the last sync to another instance. */
@Command(name = "sync", aliases = "mirror", description = "Bring a lake table (imported or not) to another instance, copying only what changed.")
final class MirrorCommand implements Callable<Integer> {
  @ParentCommand FanoutCommand root;
  @Option(names = "--table", required = true, description = "db.table of this instance's lake catalog") String table;
  @Option(names = "--to", required = true, description = "The destination instance (see 'fanout instance list').")
  String to;
  @Option(names = "--partition", description = "Only these partitions: 'col=value,...' (identity partition columns).")
  String partition;
  @Option(names = "--full", description = "Make the destination equal to the source file by file, whatever changed.")
  boolean full;
  @Option(names = "--force", description = "With --full: replace a destination table that is not a replica of this one.")
  boolean force;
  @Option(names = "--allow-files-elsewhere", description = "Also copy data files that the table's writers put outside"
      + " its location and declared data paths (never files of Fanout's home).")
  boolean filesElsewhere;

  @Override
  public Integer call() {
    try (Instance instance = root.open(); Remotes remotes = new Remotes(instance);
        CommandEvents events = CommandEvents.open(instance)) {
      MirrorResult result = new TableMirror(instance, remotes, events.listener())
          .sync(new MirrorRequest(TableName.parse(table), to, partition, full, force, filesElsewhere));
      result.warnings().forEach(w -> System.err.println("Warning: " + w));
      System.out.println(result.summary());
      return 0;
    }
  }
}
