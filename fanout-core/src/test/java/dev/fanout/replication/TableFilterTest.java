package dev.fanout.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TableName;
import org.junit.jupiter.api.Test;

/** Copy-rule, sync-rule and DAG filters: {@code ;}-separated {@code db.table} patterns with {@code *}. */
class TableFilterTest {
  private static boolean matches(String filter, String table) {
    return TableFilter.parse(filter).matches(TableName.parse(table));
  }

  @Test
  void aFilterWithAStarMatchesEveryTableOfItsDatabase() {
    assertThat(matches("sales.*", "sales.orders")).isTrue();
    assertThat(matches("sales.*", "sales.order_lines_2024")).isTrue();
    assertThat(matches("sales.*", "hr.employees")).isFalse();
    assertThat(matches("sales.*", "salesx.orders")).isFalse();
  }

  @Test
  void aStarMatchesAnyRunOfCharactersInsideAName() {
    assertThat(matches("sales.s*", "sales.s")).isTrue();
    assertThat(matches("sales.s*", "sales.s9")).isTrue();
    assertThat(matches("sales.s*", "sales.t9")).isFalse();
    assertThat(matches("*.orders", "archive.orders")).isTrue();
    assertThat(matches("*_hist.*", "sales_hist.orders")).isTrue();
  }

  @Test
  void aTableMatchesWhenAnyPatternOfTheFilterMatches() {
    String filter = "sales.*; hr.employees";
    assertThat(matches(filter, "hr.employees")).isTrue();
    assertThat(matches(filter, "sales.orders")).isTrue();
    assertThat(matches(filter, "hr.salaries")).isFalse();
  }

  @Test
  void matchingIgnoresCaseAsLakeNamesAreLowerCase() {
    assertThat(matches("Sales.ORDERS", "sales.orders")).isTrue();
  }

  @Test
  void aDotMatchesOnlyTheDotBetweenDatabaseAndTable() {
    assertThat(matches("sales.orders", "salesxorders.a")).isFalse();
  }

  @Test
  void aFilterPrintsAsTheUserWroteIt() {
    assertThat(TableFilter.parse("  sales.*;hr.employees ")).hasToString("sales.*;hr.employees");
  }

  @Test
  void anEmptyFilterOrAPatternThatIsNotDbDotTableIsRefused() {
    assertThatThrownBy(() -> TableFilter.parse(" ")).isInstanceOf(FanoutException.class)
        .hasMessageContaining("cannot be empty");
    assertThatThrownBy(() -> TableFilter.parse("sales")).isInstanceOf(FanoutException.class)
        .hasMessageContaining("Filter pattern 'sales' is not of the form db.table");
    assertThatThrownBy(() -> TableFilter.parse("sales.*;a.b.c")).hasMessageContaining("'a.b.c'");
    assertThatThrownBy(() -> TableFilter.parse("sales.or-ders")).hasMessageContaining("'sales.or-ders'");
  }
}
