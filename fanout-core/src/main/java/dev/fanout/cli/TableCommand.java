package dev.fanout.cli;

import dev.fanout.replication.CopyRuleRepository;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.imports.TableRegistration;
import dev.fanout.metadata.EtlMode;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportType;
import dev.fanout.metadata.MergeDeletes;
import dev.fanout.metadata.TimeAs;
import dev.fanout.metadata.IncrMode;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.TableName;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.metadata.StageEngine;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "table", description = "Manage import tables (import_tables, import_columns).",
    subcommands = {TableCommand.Add.class, TableCommand.Discover.class, TableCommand.Show.class, TableCommand.ListTables.class})
final class TableCommand implements Runnable {
  @ParentCommand FanoutCommand root;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** How a table is imported; shared by add and discover. */
  static final class Modes {
    @Option(names = "--import", description = "full or incr (default full).") String importType = "full";
    @Option(names = "--incr-mode", description = "append or lastmodified.") String incrMode;
    @Option(names = "--incr-column", description = "The increasing column of an incremental import.") String incrColumn;
    @Option(names = "--etl", description = "truncate_insert, insert or merge (default truncate_insert for full, insert for incr).") String etl;
    @Option(names = "--pk", description = "Primary key columns, comma-separated, if the source declares none.") String pk;
    @Option(names = "--split-by", description = "Numeric or date column to split the read on.") String splitBy;
    @Option(names = "--sessions", description = "Parallel read sessions (capped by the connection's max).") int sessions = 1;
    @Option(names = "--validate-diff", description = "Rows source and staged counts may differ by (default 0).") long validateDiff;
    @Option(names = "--deletes", description = "With a merge: none (upsert only, the default) or detect (keys no"
        + " longer at the source are deleted in the same commit and only changed rows are rewritten; an"
        + " incremental import reads the source's key columns for it).")
    String deletes;
    @Option(names = "--history", description = "With a merge: keep <table>_history, every inserted, updated and"
        + " deleted row version with datalake_iud (I/U/D) and datalake_timestamp (the import's time).")
    boolean history;
    @Option(names = "--time-as", description = "How a source TIME column lands: string (the source's text, e.g."
        + " 23:59:59.123456, read by every engine; the default) or time (Iceberg's time type, which Spark 3.5"
        + " cannot read).")
    String timeAs;

    ImportTable.Builder apply(ImportTable.Builder b) {
      ImportType type = ImportType.of(importType);
      EtlMode mode = etl != null ? EtlMode.of(etl)
          : type == ImportType.INCR && "lastmodified".equalsIgnoreCase(incrMode) ? EtlMode.MERGE
          : type == ImportType.INCR ? EtlMode.INSERT : EtlMode.TRUNCATE_INSERT;
      if (validateDiff < 0) {
        throw new FanoutException("--validate-diff cannot be negative.");
      }
      return b.importType(type)
          .etlMode(mode)
          .incrMode(incrMode == null ? null : IncrMode.of(incrMode))
          .incrColumn(incrColumn)
          .primaryKeyOverride(pk)
          .splitBy(splitBy)
          .sessions(sessions)
          .validateDiffAllowed(validateDiff)
          .deletes(deletes == null ? MergeDeletes.NONE : MergeDeletes.of(deletes))
          .history(history)
          .timeAs(timeAs == null ? TimeAs.STRING : TimeAs.of(timeAs));
    }
  }

  @Command(name = "add", description = "Add a source table to import; it is checked against the source first.")
  static final class Add implements Callable<Integer> {
    @ParentCommand TableCommand parent;
    @Option(names = "--connection", required = true, description = "The source connection (see 'fanout connection list').")
    String connection;
    @Option(names = "--source", required = true, description = "SCHEMA.TABLE at the source.") String source;
    @Option(names = "--target", required = true, description = "DB.TABLE in the lake.") String target;
    @picocli.CommandLine.Mixin Modes modes = new Modes();
    @Option(names = "--engine", description = "Stage engine: local or spark (default: the instance's, see 'fanout init --engine').")
    String engine;

    @Override
    public Integer call() {
      TableName name = TableName.parse(target);
      int dot = source.indexOf('.');
      ImportTable.Builder b = ImportTable.builder()
          .target(name)
          .connection(connection)
          .sourceSchema(dot < 0 ? null : source.substring(0, dot))
          .sourceTable(dot < 0 ? source : source.substring(dot + 1))
          .stageEngine(engine == null ? null : StageEngine.of(engine));
      try (Instance instance = parent.root.open()) {
        ImportTable added = new TableRegistration(instance).register(modes.apply(b).build());
        System.out.println("Added table " + added.target() + " from " + added.connection() + ":" + added.sourceName()
            + " (" + added.importType().code() + ", " + added.etlMode().code() + ")");
        return 0;
      }
    }
  }

  @Command(name = "discover", description = "Add every table of a source schema that is not configured yet.")
  static final class Discover implements Callable<Integer> {
    @ParentCommand TableCommand parent;
    @Option(names = "--connection", required = true, description = "The source connection (see 'fanout connection list').")
    String connection;
    @Option(names = "--schema", required = true, description = "The source schema whose tables are added.") String schema;
    @Option(names = "--target-db", description = "Lake database (default: the schema name).") String targetDb;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        SourceConnection c = instance.connections().require(connection);
        SourceSessions sessions = new SourceSessions(c.alias(), c.jdbcUrl(), instance.credentials(c.sealedCredentials()));
        String db = TableName.sanitize(targetDb == null ? schema : targetDb);
        int added = 0;
        int failed = 0;
        List<String> tables = new SourceInspector(sessions).tables(schema);
        refuseCollisions(db, tables);
        for (String table : tables) {
          TableName name = new TableName(db, TableName.sanitize(table));
          if (instance.tables().find(name).isPresent()) {
            System.out.println("  exists   " + name);
            continue;
          }
          try {
            new TableRegistration(instance).register(ImportTable.builder().target(name).connection(connection)
                .sourceSchema(schema).sourceTable(table).sessions(c.maxSessions()).build());
            System.out.println("  added    " + name + " <- " + schema + "." + table);
            added++;
          } catch (FanoutException e) {
            System.out.println("  skipped  " + name + ": " + e.getMessage());
            failed++;
          }
        }
        System.out.println("Discovered " + added + " new table(s) in " + connection + ":" + schema
            + (failed > 0 ? ", skipped " + failed : ""));
        return 0;
      }
    }
  }

  /** Two source tables that become one lake name (Orders and orders, order-line and order_line) add neither. */
  static void refuseCollisions(String db, List<String> tables) {
    Map<String, List<String>> byLakeName = tables.stream()
        .collect(Collectors.groupingBy(TableName::sanitize, TreeMap::new, Collectors.toList()));
    byLakeName.forEach((lake, sources) -> {
      if (sources.size() > 1) {
        throw new FanoutException("Source tables " + String.join(" and ", sources) + " would both become " + db + "."
            + lake + "; nothing was added: add them one by one with 'fanout table add --target' under different names.");
      }
    });
  }

  @Command(name = "show", description = "Show a table's configuration, watermark and last import.")
  static final class Show implements Callable<Integer> {
    @ParentCommand TableCommand parent;
    @Parameters(index = "0", description = "DB.TABLE") String target;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        ImportTable t = instance.tables().require(TableName.parse(target));
        System.out.println("table:          " + t.target());
        System.out.println("source:         " + t.connection() + ":" + t.sourceName());
        System.out.println("import:         " + t.importType().code()
            + (t.isIncremental() ? " (" + t.incrMode().code() + " on " + t.incrColumn() + ")" : ""));
        System.out.println("etl:            " + t.etlMode().code()
            + (t.etlMode() == EtlMode.MERGE ? " (deletes " + t.deletes().code() + (t.history() ? ", history in "
                + t.target().db() + "." + t.target().table() + "_history" : "") + ")" : ""));
        System.out.println("TIME lands as:  " + t.timeAs().code());
        System.out.println("sessions:       " + t.sessions() + (t.splitBy() == null ? "" : " split by " + t.splitBy()));
        System.out.println("stage engine:   " + (t.stageEngine() != null ? t.stageEngine().code()
            : instance.settings().stage().engine().code() + " (the instance's default)"));
        if (t.isIncremental()) {
          System.out.println("watermark:      " + (t.incrMaxValue() == null ? "(none yet)" : t.incrMaxValue()));
        }
        System.out.println("copy_slave:     " + (t.copySlave() ? 1 : 0));
        var destinations = dev.fanout.replication.CopyDestinations.of(t.target(), new CopyRuleRepository(instance.transactions()).list());
        System.out.println("copies to:      " + (destinations.isEmpty() ? "-" : destinations.entrySet().stream()
            .map(d -> d.getKey() + " (" + d.getValue().code() + ")").collect(java.util.stream.Collectors.joining(", "))));
        System.out.println("copy_finished:  " + (t.copyFinished() == null ? "-" : t.copyFinished()));
        System.out.println("columns:");
        for (ImportColumn c : instance.tables().columns(t.id())) {
          System.out.printf("  %-30s %-20s -> %-16s%s%s%n", c.name(), c.sourceType(), c.lakeType(),
              c.primaryKeyPosition() > 0 ? " pk" + c.primaryKeyPosition() : "", c.included() ? "" : " (gone from source)");
        }
        instance.statistics().latest(t.id()).ifPresentOrElse(Show::printStatistics,
            () -> System.out.println("last import:    never"));
        return 0;
      }
    }

    private static void printStatistics(ImportStatistics s) {
      double seconds = Math.max(0.001, java.time.Duration.between(s.start(), s.stop()).toMillis() / 1000.0);
      System.out.println("last import:    " + s.importId() + " at " + s.stop());
      System.out.printf("  rows:         source %d, staged %d, loaded %d, in lake %d%n", s.sourceRows(), s.stagedRows(),
          s.loadedRows(), s.lakeRows());
      System.out.printf("  time:         %.1f s (%.0f rows/s), %d session(s), %d bytes staged%n", seconds,
          s.stagedRows() / seconds, s.sessions(), s.stagedBytes());
      if (s.incrMaxValue() != null) {
        System.out.println("  range:        (" + (s.incrMinValue() == null ? "-inf" : s.incrMinValue()) + ", "
            + s.incrMaxValue() + "]");
      }
    }
  }

  @Command(name = "list", description = "List configured tables.")
  static final class ListTables implements Callable<Integer> {
    @ParentCommand TableCommand parent;

    @Override
    public Integer call() {
      try (Instance instance = parent.root.open()) {
        for (ImportTable t : instance.tables().list()) {
          System.out.printf("%-40s %-12s %-16s %s:%s%n", t.target(), t.importType().code(), t.etlMode().code(),
              t.connection(), t.sourceName());
        }
        return 0;
      }
    }
  }
}
