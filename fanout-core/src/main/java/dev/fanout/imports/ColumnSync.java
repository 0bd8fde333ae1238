package dev.fanout.imports;

import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.TimeAs;
import dev.fanout.source.LakeTypes;
import dev.fanout.source.SourceColumn;
import dev.fanout.source.SourceDialect;
import dev.fanout.source.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Brings {@code import_columns} in line with the source table: new columns are appended, columns gone
 * from the source are kept but excluded (the lake keeps them, NULL from now on), and changed types are
 * taken over (the load decides whether the lake table can widen to them). A column whose source type is
 * unchanged keeps the lake type it has, so a later change of Fanout's mapping (TIME became a string) never
 * changes the type of a column that already holds data.
 */
public final class ColumnSync {
  private ColumnSync() {}

  public static List<ImportColumn> fromSource(SourceDialect dialect, SourceTable source, List<String> pkOverride,
      TimeAs timeAs) {
    return sync(dialect, source, List.of(), pkOverride, timeAs);
  }

  public static List<ImportColumn> sync(SourceDialect dialect, SourceTable source, List<ImportColumn> known,
      List<String> pkOverride, TimeAs timeAs) {
    Map<String, ImportColumn> byName = known.stream().collect(Collectors.toMap(ImportColumn::name, Function.identity()));
    List<ImportColumn> out = new ArrayList<>();
    int order = 0;
    for (SourceColumn c : source.columns()) {
      int pk = pkOverride.isEmpty() ? c.primaryKeyPosition() : indexOfIgnoreCase(pkOverride, c.name()) + 1;
      ImportColumn before = byName.get(c.name());
      String lakeType = before != null && sameSourceType(before, c) ? before.lakeType()
          : LakeTypes.map(dialect, source.qualifiedName(), c, timeAs).toString();
      out.add(new ImportColumn(c.name(), ++order, c.typeName(), c.jdbcType(), c.precision(), c.scale(),
          lakeType, pk, true));
      byName.remove(c.name());
    }
    for (ImportColumn gone : known) {
      if (byName.containsKey(gone.name())) {
        out.add(gone.excluded().withOrder(++order));
      }
    }
    return out;
  }

  private static boolean sameSourceType(ImportColumn before, SourceColumn now) {
    return before.included() && before.jdbcType() == now.jdbcType() && before.precision() == now.precision()
        && before.scale() == now.scale() && java.util.Objects.equals(before.sourceType(), now.typeName());
  }

  private static int indexOfIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
