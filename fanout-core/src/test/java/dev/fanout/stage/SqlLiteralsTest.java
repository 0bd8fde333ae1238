package dev.fanout.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import dev.fanout.source.SourceDialect;
import dev.fanout.source.SqlFragment;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The Spark engine's split predicates: each split's bound values written into its SQL as literals. */
class SqlLiteralsTest {
  @Test
  void splitBoundsBecomeLiteralsOfTheirType() {
    SqlFragment split = SqlFragment.of("(`id` >= ? AND `id` < ?) OR `id` IS NULL", 1L, 500L)
        .and(SqlFragment.of("`price` > ? AND `day` <= ?", new BigDecimal("1E+3"), LocalDate.of(2024, 2, 29)));
    assertThat(SqlLiterals.inline(split, SourceDialect.MYSQL))
        .isEqualTo("((`id` >= 1 AND `id` < 500) OR `id` IS NULL) AND (`price` > 1000 AND `day` <= DATE '2024-02-29')");
  }

  @Test
  void timestampsKeepMicrosecondsAndInstantsAreWrittenInUtc() {
    LocalDateTime wall = LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000);
    OffsetDateTime instant = OffsetDateTime.of(2024, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(2));
    assertThat(SqlLiterals.inline(SqlFragment.of("\"t\" > ?", wall), SourceDialect.POSTGRESQL))
        .isEqualTo("\"t\" > TIMESTAMP '2024-03-31 02:30:00.123456'");
    assertThat(SqlLiterals.inline(SqlFragment.of("\"t\" > ?", instant), SourceDialect.POSTGRESQL))
        .isEqualTo("\"t\" > TIMESTAMP WITH TIME ZONE '2023-12-31 23:00:00.000000+00:00'");
    // Fanout's MariaDB sessions run in UTC
    assertThat(SqlLiterals.inline(SqlFragment.of("`t` > ?", instant), SourceDialect.MYSQL))
        .isEqualTo("`t` > TIMESTAMP '2023-12-31 23:00:00.000000'");
  }

  @Test
  void aQuestionMarkInsideAQuotedNameIsNoPlaceholder() {
    assertThat(SqlLiterals.inline(SqlFragment.of("`why?` >= ? AND \"a \"\"?\"\"\" < ?", 1L, 2L), SourceDialect.MYSQL))
        .isEqualTo("`why?` >= 1 AND \"a \"\"?\"\"\" < 2");
  }

  @Test
  void onlyNumbersDatesAndTimesAreWrittenAsLiterals() {
    assertThatThrownBy(() -> SqlLiterals.inline(SqlFragment.of("`name` = ?", "x' OR 1=1 --"), SourceDialect.MYSQL))
        .isInstanceOf(FanoutException.class).hasMessageContaining("--engine local");
    assertThatThrownBy(() -> SqlLiterals.inline(SqlFragment.of("`d` > ?", LocalDate.of(-5, 1, 1)), SourceDialect.MYSQL))
        .isInstanceOf(FanoutException.class).hasMessageContaining("years 1 to 9999");
  }
}
