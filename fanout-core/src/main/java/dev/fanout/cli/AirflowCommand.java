package dev.fanout.cli;

import dev.fanout.schedule.DagRepository;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportTable;
import dev.fanout.schedule.AirflowDagWriter;
import dev.fanout.schedule.Dag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fanout airflow generate}: an Airflow 2 DAG file for a DAG definition of this instance. */
@Command(name = "airflow", description = "Generate Airflow DAG files.", subcommands = AirflowCommand.Generate.class)
final class AirflowCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "generate", description = "Write the Airflow DAG file of a DAG: a task per table running"
      + " 'fanout import', after a sensor waiting for the copy for copy_slave tables.")
  static final class Generate implements Callable<Integer> {
    @ParentCommand AirflowCommand parent;
    @Option(names = "--dag", required = true, description = "A DAG defined with 'fanout dag add'.") String dagName;
    @Option(names = "--write", paramLabel = "DIR", description = "Write <DIR>/<dag>.py (default: print it).") Path dir;
    @Option(names = "--fanout-command", description = "The launcher on the Airflow workers (default ${DEFAULT-VALUE}).")
    String fanoutCommand = "fanout";
    @Option(names = "--worker-home", description = "This instance's home as the Airflow workers see it"
        + " (default: this home's absolute path).") String workerHome;
    @Option(names = "--poke-interval", description = "How often a sensor looks for the copy: seconds or a"
        + " duration such as 5m (default ${DEFAULT-VALUE}).") String pokeInterval = "60";
    @Option(names = "--sensor-timeout", description = "How long a sensor waits before it fails: seconds or a"
        + " duration such as 6h (default ${DEFAULT-VALUE}).") String sensorTimeout = "21600";

    @Override
    public Integer call() throws IOException {
      if (dir != null && !Files.isDirectory(dir)) {
        throw new FanoutException("--write " + dir + " is not a directory; create it or name the Airflow dags folder.");
      }
      try (Instance instance = parent.root.open()) {
        String home = workerHome != null ? workerHome : parent.root.home().dir().toAbsolutePath().normalize().toString();
        AirflowDagWriter writer = new AirflowDagWriter(new AirflowDagWriter.Settings(fanoutCommand, home,
            seconds(pokeInterval, "--poke-interval"), seconds(sensorTimeout, "--sensor-timeout")));
        Dag dag = new DagRepository(instance.transactions()).require(dagName);
        List<ImportTable> tables = dag.tables(instance.tables().list());
        String file = writer.write(dag, tables);
        if (tables.isEmpty()) {
          System.err.println("fanout: warning: DAG '" + dag.name() + "' (filter '" + dag.filter()
              + "') matches no table of this instance; the DAG has no tasks.");
        }
        if (dir == null) {
          System.out.print(file);
        } else {
          Path target = writeAtomically(dir, dag.name() + ".py", file);
          long sensors = tables.stream().filter(ImportTable::copySlave).count();
          System.out.println("Wrote " + target + ": " + tables.size() + " import task(s), " + sensors + " sensor(s)");
        }
        return 0;
      }
    }

    /** Temp file and rename, so Airflow's parser never reads half a file. */
    private static Path writeAtomically(Path dir, String name, String content) throws IOException {
      Path target = dir.resolve(name);
      Path tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    }

    /** Plain seconds, as Airflow takes them, or a duration such as 5m. */
    static Duration seconds(String text, String option) {
      return text.trim().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(text.trim())) : Durations.parse(text, option);
    }
  }
}
