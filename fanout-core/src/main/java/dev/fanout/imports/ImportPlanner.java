package dev.fanout.imports;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.load.SchemaPlan;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportTableRepository;
import dev.fanout.metadata.MergeDeletes;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.TableName;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SourceTable;
import dev.fanout.source.SplitPlanner;
import dev.fanout.jdbc.SqlErrors;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import dev.fanout.source.ValueReader;
import dev.fanout.source.ValueReaders;
import dev.fanout.source.Watermark;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The plan step of an import: describes the source table as it is now, takes over schema drift into
 * {@code import_columns}, fixes the increment's upper bound and cuts the read into splits.
 */
final class ImportPlanner {
  private final Instance instance;
  private final FanoutListener listener;

  ImportPlanner(Instance instance, FanoutListener listener) {
    this.instance = instance;
    this.listener = listener;
  }

  ImportPlan plan(ImportTable table) {
    TableName name = table.target();
    SourceConnection connection = instance.connections().require(table.connection());
    SourceSessions sessions =
        new SourceSessions(connection.alias(), connection.jdbcUrl(), instance.credentials(connection.sealedCredentials()));
    SourceTable source = new SourceInspector(sessions).describe(table.sourceSchema(), table.sourceTable());

    List<ImportColumn> columns = ColumnSync.sync(sessions.dialect(), source,
        instance.tables().columns(table.id()), table.primaryKeyOverride(), table.timeAs());
    LinkedHashMap<String, Type> lakeColumns = new LinkedHashMap<>();
    List<ValueReader> readers = new ArrayList<>();
    for (ImportColumn c : columns) {
      if (c.included()) {
        Type type = Types.fromPrimitiveString(c.lakeType());
        lakeColumns.put(c.name(), type);
        readers.add(ValueReaders.forColumn(c.name(), c.jdbcType(), c.sourceType(), type));
      } else {
        listener.on(Event.note(Event.Kind.IMPORT, name, "Column " + c.name() + " is gone from the source; it stays in "
            + name + ", NULL in new rows."));
      }
    }
    SchemaPlan schema = SchemaPlan.of(name, instance.catalog().find(name).orElse(null), lakeColumns);
    instance.tables().replaceColumns(table.id(), columns);

    String from = sessions.dialect().qualified(source.schema(), source.table());
    IncrementRange range = table.isIncremental() ? incrementRange(table, source, sessions, from, lakeColumns) : null;
    SqlFragment filter = range == null ? SqlFragment.TRUE : range.filter(sessions.dialect());
    TableRead read = new TableRead(source.qualifiedName(), from, new ArrayList<>(lakeColumns.keySet()), readers, filter);
    List<SqlFragment> splits = splits(table, connection, source, sessions, read, lakeColumns);
    return new ImportPlan(table, sessions, read, splits, schema.stagedSchema(), range, keyRead(table, read, columns));
  }

  /**
   * The key columns of the whole table, for an incremental merge that detects deletes: an index-only scan
   * at most sources, much cheaper than the rows.
   */
  private static TableRead keyRead(ImportTable table, TableRead read, List<ImportColumn> columns) {
    if (!table.isIncremental() || table.deletes() != MergeDeletes.DETECT) {
      return null;
    }
    List<String> keys = columns.stream().filter(c -> c.included() && c.primaryKeyPosition() > 0)
        .sorted(java.util.Comparator.comparingInt(ImportColumn::primaryKeyPosition)).map(ImportColumn::name).toList();
    if (keys.isEmpty()) {
      throw new FanoutException("Table " + table.target() + " detects deletes by primary key but has none; set one with --pk.");
    }
    List<ValueReader> readers = keys.stream().map(k -> read.readers().get(read.columns().indexOf(k))).toList();
    return new TableRead(read.displayName() + " (keys)", read.from(), keys, readers, SqlFragment.TRUE);
  }

  private IncrementRange incrementRange(ImportTable table, SourceTable source, SourceSessions sessions, String from,
      LinkedHashMap<String, Type> lakeColumns) {
    String column = source.column(table.incrColumn()).map(c -> c.name()).orElseThrow(() -> new FanoutException(
        "Incremental column " + table.incrColumn() + " does not exist in " + source.qualifiedName() + "."));
    Type type = lakeColumns.get(column);
    if (!Watermark.supports(type)) {
      throw new FanoutException("Incremental column " + column + " of " + source.qualifiedName() + " is " + type
          + "; it must be a number, a date or a timestamp.");
    }
    try (Connection c = sessions.open();
        PreparedStatement ps = c.prepareStatement("SELECT MAX(" + sessions.dialect().quote(column) + ") FROM " + from);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Object max = Watermark.read(rs, 1, type);
      return new IncrementRange(column, type, table.incrMaxValue(), Watermark.format(max));
    } catch (SQLException e) {
      throw new FanoutException("Reading the maximum of " + column + " in " + source.qualifiedName() + " failed: "
          + SqlErrors.describe(e), e);
    }
  }

  /** Splits on --split-by, else on a single-column numeric or date primary key, else one session. */
  private List<SqlFragment> splits(ImportTable table, SourceConnection connection, SourceTable source,
      SourceSessions sessions, TableRead read, LinkedHashMap<String, Type> lakeColumns) {
    int n = Math.max(1, Math.min(table.sessions(), connection.maxSessions()));
    String column = table.splitBy();
    if (column == null) {
      List<String> pk = source.primaryKey();
      if (n == 1 || pk.size() != 1 || !SplitPlanner.canSplitOn(lakeColumns.get(pk.get(0)))) {
        return List.of(SqlFragment.TRUE);
      }
      column = pk.get(0);
    }
    String exact = source.column(column).map(c -> c.name()).orElseThrow(() -> new FanoutException(
        "Split column " + table.splitBy() + " does not exist in " + source.qualifiedName() + "."));
    try (Connection c = sessions.open()) {
      return new SplitPlanner(sessions.dialect())
          .plan(c, source.qualifiedName(), read.from(), read.filter(), exact, lakeColumns.get(exact), n);
    } catch (SQLException e) {
      throw new FanoutException("Planning the splits of " + source.qualifiedName() + " failed: " + SqlErrors.describe(e), e);
    }
  }
}
