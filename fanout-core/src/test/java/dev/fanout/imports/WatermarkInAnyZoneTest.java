package dev.fanout.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lastmodified import on a host in New York, where 2026-03-08 02:00-03:00 does not exist and
 * 2026-11-01 01:00-02:00 happens twice: the watermark is the source's maximum to the microsecond, and the
 * next import reads exactly the rows changed after it.
 */
class WatermarkInAnyZoneTest {
  @TempDir Path tmp;
  private TimeZone original;

  @BeforeEach
  void inNewYork() {
    original = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
  }

  @AfterEach
  void restoreZone() {
    TimeZone.setDefault(original);
  }

  private FanoutCli incrementalOrders(TestDatabase db, String timestampType) {
    db.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, item VARCHAR(20), updated_at " + timestampType + ")");
    FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
    fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + ".orders", "--target", "sales.orders",
        "--import", "incr", "--incr-mode", "lastmodified", "--incr-column", "updated_at", "--etl", "merge");
    return fanout;
  }

  private static String imported(FanoutCli fanout) {
    return fanout.ok("import", "--table", "sales.orders");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aWallClockWatermarkInTheGapOrTheRepeatedHourReadsExactlyTheNewerRows(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      FanoutCli fanout = incrementalOrders(db, kind == Kind.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)");
      db.execute("INSERT INTO orders VALUES (1, 'a', TIMESTAMP '2026-03-08 02:30:00.123456'),"
          + " (2, 'b', TIMESTAMP '2026-03-08 01:59:00')");
      assertThat(imported(fanout)).contains("source 2, staged 2, loaded 2");
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      2026-03-08T02:30:00.123456\n");
      assertThat(imported(fanout)).contains("source 0, staged 0, loaded 0");

      db.execute("INSERT INTO orders VALUES (3, 'c', TIMESTAMP '2026-11-01 01:30:00.5'),"
          + " (4, 'd', TIMESTAMP '2026-11-01 01:10:00')",
          "UPDATE orders SET item = 'a2', updated_at = TIMESTAMP '2026-11-01 01:20:00' WHERE id = 1");
      assertThat(imported(fanout)).contains("source 3, staged 3, loaded 3");
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      2026-11-01T01:30:00.500\n");

      db.execute("INSERT INTO orders VALUES (5, 'e', TIMESTAMP '2026-11-01 01:30:00.500001')");
      assertThat(imported(fanout)).contains("source 1, staged 1, loaded 1");
      assertThat(imported(fanout)).contains("source 0, staged 0, loaded 0");
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anInstantWatermarkInTheRepeatedHourReadsExactlyTheNewerRows(Kind kind) {
    try (TestDatabase db = TestDatabase.create(kind, tmp)) {
      FanoutCli fanout = incrementalOrders(db, switch (kind) {
        case MARIADB -> "TIMESTAMP(6) NULL";
        case POSTGRES -> "TIMESTAMPTZ(6)";
        case H2 -> "TIMESTAMP(6) WITH TIME ZONE";
      });
      // 05:30Z is 01:30 EDT and 06:30Z is 01:30 EST: one wall clock in New York, two instants
      db.execute("INSERT INTO orders VALUES (1, 'a', " + instant(kind, "2026-11-01 05:30:00.25") + ")");
      assertThat(imported(fanout)).contains("source 1, staged 1, loaded 1");
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      2026-11-01T05:30:00.250Z\n");

      db.execute("INSERT INTO orders VALUES (2, 'b', " + instant(kind, "2026-11-01 06:30:00.25") + ")");
      assertThat(imported(fanout)).contains("source 1, staged 1, loaded 1");
      assertThat(fanout.ok("table", "show", "sales.orders")).contains("watermark:      2026-11-01T06:30:00.250Z\n");
      assertThat(imported(fanout)).contains("source 0, staged 0, loaded 0");
    }
  }

  /** A UTC time literal the source reads as that instant (MariaDB's test sessions are in UTC). */
  private static String instant(Kind kind, String utc) {
    return kind == Kind.MARIADB ? "TIMESTAMP '" + utc + "'" : "TIMESTAMP WITH TIME ZONE '" + utc + "+00:00'";
  }
}
