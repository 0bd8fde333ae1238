package dev.fanout.imports;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.EtlMode;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SourceTable;
import dev.fanout.source.SplitPlanner;
import dev.fanout.source.Watermark;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * {@code fanout table add}: checks a table definition against the live source (the table exists, every
 * column has a lake type, the split, incremental and key columns exist and fit) before storing it, so a
 * bad definition fails now and not at night.
 */
public final class TableRegistration {
  private final Instance instance;

  public TableRegistration(Instance instance) {
    this.instance = instance;
  }

  public ImportTable register(ImportTable requested) {
    if (instance.tables().find(requested.target()).isPresent()) {
      throw new FanoutException("Table " + requested.target() + " is already configured; 'fanout table show "
          + requested.target() + "' shows it.");
    }
    SourceConnection connection = instance.connections().require(requested.connection());
    SourceSessions sessions = new SourceSessions(connection.alias(), connection.jdbcUrl(),
        instance.credentials(connection.sealedCredentials()));
    SourceTable source = new SourceInspector(sessions).describe(requested.sourceSchema(), requested.sourceTable());
    List<ImportColumn> columns = ColumnSync.fromSource(sessions.dialect(), source, requested.primaryKeyOverride(),
        requested.timeAs());

    ImportTable.Builder table = requested.toBuilder()
        .sourceSchema(source.schema())
        .sourceTable(source.table());
    if (requested.splitBy() != null) {
      ImportColumn split = column(columns, requested.splitBy(), "Split column", source);
      if (!SplitPlanner.canSplitOn(type(split))) {
        throw new FanoutException("Split column " + split.name() + " of " + source.qualifiedName() + " is "
            + split.sourceType() + "; choose a numeric or date column.");
      }
      table.splitBy(split.name());
    }
    if (requested.isIncremental()) {
      ImportColumn incr = column(columns, requested.incrColumn(), "Incremental column", source);
      if (!Watermark.supports(type(incr))) {
        throw new FanoutException("Incremental column " + incr.name() + " of " + source.qualifiedName() + " is "
            + incr.sourceType() + "; it must be a number, a date or a timestamp.");
      }
      table.incrColumn(incr.name());
    }
    for (String pk : requested.primaryKeyOverride()) {
      column(columns, pk, "Primary key column", source);
    }
    if (requested.etlMode() == EtlMode.MERGE && columns.stream().noneMatch(c -> c.primaryKeyPosition() > 0)) {
      throw new FanoutException("Table " + source.qualifiedName() + " has no primary key, which merge needs;"
          + " name the key columns with --pk.");
    }
    return instance.tables().add(table.build(), columns);
  }

  private static ImportColumn column(List<ImportColumn> columns, String name, String what, SourceTable source) {
    Optional<ImportColumn> exact = columns.stream().filter(c -> c.name().equals(name)).findFirst();
    return exact.or(() -> columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst())
        .orElseThrow(() -> new FanoutException(what + " " + name + " does not exist in " + source.qualifiedName() + "."));
  }

  private static Type type(ImportColumn c) {
    return Types.fromPrimitiveString(c.lakeType());
  }
}
