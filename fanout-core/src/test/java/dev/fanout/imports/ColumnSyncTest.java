package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.TimeAs;
import dev.fanout.source.SourceColumn;
import dev.fanout.source.SourceDialect;
import dev.fanout.source.SourceTable;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How import_columns follow the source, and why a column that holds data never changes its lake type by itself. */
class ColumnSyncTest {
  private static final SourceColumn ID = new SourceColumn("id", Types.INTEGER, "INT", 10, 0, true, 1);
  private static final SourceColumn OPENS = new SourceColumn("opens", Types.TIME, "TIME", 8, 0, true, 0);

  @Test
  void aNewTableLandsTimeAsItsChoiceSays() {
    SourceTable source = new SourceTable("shop", "hours", List.of(ID, OPENS));

    assertThat(lakeType(ColumnSync.fromSource(SourceDialect.MYSQL, source, List.of(), TimeAs.STRING), "opens"))
        .isEqualTo("string");
    assertThat(lakeType(ColumnSync.fromSource(SourceDialect.MYSQL, source, List.of(), TimeAs.TIME), "opens"))
        .isEqualTo("time");
  }

  @Test
  void aTimeColumnThatAlreadyLandsAsTimeKeepsItsTypeWhenTheDefaultIsString() {
    // a table configured before TIME landed as a string: its column is a lake time and holds data
    List<ImportColumn> known = List.of(
        new ImportColumn("id", 1, "INT", Types.INTEGER, 10, 0, "int", 1, true),
        new ImportColumn("opens", 2, "TIME", Types.TIME, 8, 0, "time", 0, true));
    SourceColumn closes = new SourceColumn("closes", Types.TIME, "TIME", 8, 0, true, 0);
    SourceTable source = new SourceTable("shop", "hours", List.of(ID, OPENS, closes));

    List<ImportColumn> synced = ColumnSync.sync(SourceDialect.MYSQL, source, known, List.of(), TimeAs.STRING);

    assertThat(lakeType(synced, "opens")).isEqualTo("time");
    assertThat(lakeType(synced, "closes")).as("a column new at the source follows the table's choice").isEqualTo("string");
  }

  @Test
  void aColumnWhoseSourceTypeChangedIsMappedAgain() {
    List<ImportColumn> known = List.of(new ImportColumn("id", 1, "INT", Types.INTEGER, 10, 0, "int", 1, true));
    SourceTable widened = new SourceTable("shop", "hours",
        List.of(new SourceColumn("id", Types.BIGINT, "BIGINT", 19, 0, true, 1)));

    assertThat(lakeType(ColumnSync.sync(SourceDialect.MYSQL, widened, known, List.of(), TimeAs.STRING), "id"))
        .isEqualTo("long");
  }

  private static String lakeType(List<ImportColumn> columns, String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().lakeType();
  }
}
