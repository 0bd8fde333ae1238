package dev.fanout.verify;

import dev.fanout.util.RowHash;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.source.SourceInspector;
import dev.fanout.source.SourceSessions;
import dev.fanout.source.SourceTable;
import dev.fanout.source.SplitPlanner;
import dev.fanout.source.SplitReader;
import dev.fanout.jdbc.SqlErrors;
import dev.fanout.source.SqlFragment;
import dev.fanout.source.TableRead;
import dev.fanout.source.ValueReader;
import dev.fanout.source.ValueReaders;
import dev.fanout.source.Watermark;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The checksum of an imported table's rows at its source, read the way an import reads them (the same
 * columns, value readers and split plan, so a value hashes as it does once in the lake), streamed over
 * JDBC in parallel splits. An incremental table is read up to its watermark: rows the next import
 * would bring are not expected in the lake yet.
 */
final class SourceChecksums {
  private SourceChecksums() {}

  /** What was read, for the report. */
  record Result(Checksum checksum, String scope) {}

  static Result of(Instance instance, ImportTable table, List<ImportColumn> columns, ExecutorService pool) {
    SourceConnection connection = instance.connections().require(table.connection());
    if (connection.sealedCredentials() == null) {
      throw new FanoutException("Connection '" + connection.alias() + "' has no credentials on this instance, so its"
          + " source cannot be read from here; verify --source on the instance that imports " + table.target() + ".");
    }
    SourceSessions sessions = new SourceSessions(connection.alias(), connection.jdbcUrl(),
        instance.credentials(connection.sealedCredentials()));
    SourceTable source = new SourceInspector(sessions).describe(table.sourceSchema(), table.sourceTable());
    List<String> names = new ArrayList<>();
    List<ValueReader> readers = new ArrayList<>();
    List<Types.NestedField> fields = new ArrayList<>();
    for (ImportColumn c : columns) {
      Type type = Types.fromPrimitiveString(c.lakeType());
      names.add(c.name());
      readers.add(ValueReaders.forColumn(c.name(), c.jdbcType(), c.sourceType(), type));
      fields.add(Types.NestedField.optional(fields.size() + 1, c.name(), type));
    }
    String from = sessions.dialect().qualified(source.schema(), source.table());
    SqlFragment filter = SqlFragment.TRUE;
    String scope = "all rows";
    if (table.isIncremental() && table.incrMaxValue() != null) {
      Type type = Types.fromPrimitiveString(columns.stream().filter(c -> c.name().equalsIgnoreCase(table.incrColumn()))
          .findFirst().orElseThrow(() -> new FanoutException("Incremental column " + table.incrColumn() + " of "
              + table.target() + " is not among its columns.")).lakeType());
      String col = sessions.dialect().quote(table.incrColumn());
      filter = SqlFragment.of(col + " <= ? OR " + col + " IS NULL", Watermark.parse(table.incrMaxValue(), type));
      scope = "rows up to the watermark " + table.incrColumn() + " = " + table.incrMaxValue();
    }
    TableRead read = new TableRead(source.qualifiedName(), from, names, readers, filter);
    Schema schema = new Schema(fields);
    SplitReader reader = new SplitReader(sessions);
    List<Future<Checksum>> parts = new ArrayList<>();
    for (SqlFragment split : splits(table, connection, source, sessions, read, fields)) {
      parts.add(pool.submit(() -> {
        Checksum[] sum = {Checksum.EMPTY};
        Object[] values = new Object[names.size()];
        reader.read(read, split, schema, row -> {
          for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
          }
          sum[0] = sum[0].plusRow(RowHash.of(values));
        }, n -> { });
        return sum[0];
      }));
    }
    Checksum total = Checksum.EMPTY;
    for (Future<Checksum> part : parts) {
      total = total.plus(LakeChecksums.await(part, source.qualifiedName()));
    }
    return new Result(total, scope);
  }

  private static List<SqlFragment> splits(ImportTable table, SourceConnection connection, SourceTable source,
      SourceSessions sessions, TableRead read, List<Types.NestedField> fields) {
    int n = Math.max(1, Math.min(table.sessions(), connection.maxSessions()));
    List<String> pk = source.primaryKey();
    if (n == 1 || pk.size() != 1) {
      return List.of(SqlFragment.TRUE);
    }
    Type type = fields.stream().filter(f -> f.name().equalsIgnoreCase(pk.get(0))).map(Types.NestedField::type)
        .findFirst().orElse(null);
    if (type == null || !SplitPlanner.canSplitOn(type)) {
      return List.of(SqlFragment.TRUE);
    }
    try (Connection c = sessions.open()) {
      return new SplitPlanner(sessions.dialect())
          .plan(c, source.qualifiedName(), read.from(), read.filter(), pk.get(0), type, n);
    } catch (SQLException e) {
      throw new FanoutException("Planning the splits of " + source.qualifiedName() + " failed: " + SqlErrors.describe(e), e);
    }
  }
}
