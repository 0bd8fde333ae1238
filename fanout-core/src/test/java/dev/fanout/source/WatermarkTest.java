package dev.fanout.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** The watermark of an incremental table as {@code table show} prints it and the next import reads it back. */
class WatermarkTest {
  @Test
  void aWatermarkReadsBackAsTheValueItWasWrittenFrom() {
    Object[][] cases = {
        {Types.LongType.get(), 1_205_000L},
        {Types.IntegerType.get(), 42L},
        {Types.DecimalType.of(20, 0), new BigDecimal("18446744073709551615")},
        {Types.DecimalType.of(10, 2), new BigDecimal("1234.50")},
        {Types.DateType.get(), LocalDate.of(2024, 2, 29)},
        {Types.TimestampType.withoutZone(), LocalDateTime.of(2026, 2, 1, 11, 0, 0, 123_456_000)},
        {Types.TimestampType.withZone(), OffsetDateTime.of(2026, 3, 1, 0, 0, 0, 654_321_000, ZoneOffset.UTC)},
    };
    for (Object[] c : cases) {
      org.apache.iceberg.types.Type type = (org.apache.iceberg.types.Type) c[0];
      assertThat(Watermark.parse(Watermark.format(c[1]), type)).as(type.toString()).isEqualTo(c[1]);
    }
  }

  @Test
  void aTimestampWatermarkIsStoredInIsoForm() {
    assertThat(Watermark.format(LocalDateTime.of(2026, 2, 1, 11, 0))).isEqualTo("2026-02-01T11:00");
    assertThat(Watermark.format(null)).isNull();
    assertThat(Watermark.parse(null, Types.LongType.get())).isNull();
  }

  @Test
  void numbersDatesAndTimestampsCanBeWatermarksOtherTypesCannot() {
    assertThat(Watermark.supports(Types.LongType.get())).isTrue();
    assertThat(Watermark.supports(Types.DecimalType.of(38, 10))).isTrue();
    assertThat(Watermark.supports(Types.DateType.get())).isTrue();
    assertThat(Watermark.supports(Types.TimestampType.withZone())).isTrue();
    assertThat(Watermark.supports(Types.StringType.get())).isFalse();
    assertThat(Watermark.supports(Types.DoubleType.get())).isFalse();
    assertThat(Watermark.supports(Types.TimeType.get())).isFalse();
    assertThat(Watermark.supports(Types.BooleanType.get())).isFalse();
  }

  @Test
  void aStoredWatermarkThatIsNotAValueOfTheColumnsTypeIsNamedInTheError() {
    assertThatThrownBy(() -> Watermark.parse("2026-02-01", Types.LongType.get())).isInstanceOf(FanoutException.class)
        .hasMessage("Stored watermark '2026-02-01' is not a valid long value.");
    assertThatThrownBy(() -> Watermark.parse("yesterday", Types.DateType.get()))
        .hasMessageContaining("'yesterday' is not a valid date value");
  }
}
