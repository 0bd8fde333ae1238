package dev.fanout.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source type arrives in the lake as the value that was stored, NULLs included. */
class SourceTypesTest {
  private static final String EMOJI = "Grüße 😀 𝄞 ☕ 日本";
  private static final LocalDateTime MICROS = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000);
  @TempDir Path tmp;

  private List<List<Object>> importAll(TestDatabase db, String table, String target) {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
    fanout.ok("table", "add", "--connection", "src", "--source", db.schema() + "." + table, "--target", target);
    fanout.ok("import", "--table", target);
    return LakeTables.rows(fanout.home(), target);
  }

  private static ByteBuffer bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return ByteBuffer.wrap(b);
  }

  private static void assertAllNull(List<Object> row) {
    assertThat(row.subList(1, row.size())).allMatch(v -> v == null);
  }

  @Test
  void mariaDbTypesArriveFaithfully() {
    try (TestDatabase db = TestDatabase.create(Kind.MARIADB, tmp)) {
      db.execute("CREATE TABLE `Select` (id INT PRIMARY KEY, t TINYINT, s SMALLINT, m MEDIUMINT, i INT, b BIGINT,"
          + " tu TINYINT UNSIGNED, iu INT UNSIGNED, bu BIGINT UNSIGNED, d DECIMAL(38,10), d2 DECIMAL(5,2),"
          + " f FLOAT, dbl DOUBLE, bool BOOLEAN, bit1 BIT(1), c CHAR(3), v VARCHAR(50), tx TEXT,"
          + " dt DATE, tm TIME(6), ts DATETIME(6), tz TIMESTAMP(6) NULL, bin VARBINARY(8), bl BLOB, js JSON,"
          + " e ENUM('small','large'), st SET('a','b','c'), y YEAR, `order` INT, `MixedCase` VARCHAR(5), `with space` INT)");
      db.execute("INSERT INTO `Select` VALUES (1, -128, -32768, -8388608, -2147483648, -9223372036854775808,"
          + " 255, 4294967295, 18446744073709551615, -1234567890123456789012345678.0123456789, 999.99,"
          + " 1.5, 2.718281828459045, TRUE, b'1', 'abc', '" + EMOJI + "', REPEAT('x', 5000),"
          + " '2024-02-29', '23:59:59.123456', '2024-02-29 23:59:59.123456', NULL, x'00FF10', x'DEADBEEF',"
          + " '{\"k\": [1, 2]}', 'large', 'a,c', 2024, 7, 'mC', 8)",
          "INSERT INTO `Select` (id) VALUES (2)");
      // TIMESTAMP is an instant: store one with an explicit session zone and expect it back in UTC
      try (var c = db.connect(); var s = c.createStatement()) {
        s.execute("SET time_zone = '+02:00'");
        s.execute("UPDATE `Select` SET tz = '2024-03-01 02:00:00.654321' WHERE id = 1");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }

      List<List<Object>> rows = importAll(db, "Select", "types.maria");

      List<Object> r = rows.get(0);
      assertThat(r.subList(0, 9)).containsExactly(1, -128, -32768, -8388608, -2147483648, Long.MIN_VALUE, 255,
          4294967295L, new BigDecimal("18446744073709551615"));
      assertThat((BigDecimal) r.get(9)).isEqualByComparingTo("-1234567890123456789012345678.0123456789");
      assertThat(r.get(10)).isEqualTo(new BigDecimal("999.99"));
      assertThat(r.subList(11, 15)).containsExactly(1.5f, 2.718281828459045, true, true);
      assertThat(r.get(15)).hasToString("abc");
      assertThat(r.get(16)).hasToString(EMOJI);
      assertThat(r.get(17).toString()).hasSize(5000);
      assertThat(r.subList(18, 21)).containsExactly(LocalDate.of(2024, 2, 29), "23:59:59.123456", MICROS);
      assertThat(r.get(21)).isEqualTo(OffsetDateTime.of(2024, 3, 1, 0, 0, 0, 654_321_000, ZoneOffset.UTC));
      assertThat(r.subList(22, 24)).containsExactly(bytes(0x00, 0xFF, 0x10), bytes(0xDE, 0xAD, 0xBE, 0xEF));
      assertThat(r.get(24).toString()).contains("\"k\"").contains("[1, 2]");
      assertThat(r.subList(25, 31).stream().map(String::valueOf).toList())
          .containsExactly("large", "a,c", "2024", "7", "mC", "8");
      assertAllNull(rows.get(1));
    }
  }

  @Test
  void postgresTypesArriveFaithfully() {
    try (TestDatabase db = TestDatabase.create(Kind.POSTGRES, tmp)) {
      db.execute("CREATE TABLE \"Order\" (id INT PRIMARY KEY, s SMALLINT, i INTEGER, b BIGINT, n NUMERIC(38,0),"
          + " nf NUMERIC, r REAL, d DOUBLE PRECISION, bool BOOLEAN, bit1 BIT(1), c CHAR(3), v VARCHAR(50), t TEXT,"
          + " dt DATE, tm TIME(6), ts TIMESTAMP(6), tz TIMESTAMPTZ(6), by BYTEA, js JSON, jb JSONB, u UUID,"
          + " \"select\" INT, \"MixedCase\" TEXT)");
      db.execute("SET TIME ZONE 'UTC'");
      db.execute("INSERT INTO \"Order\" VALUES (1, -32768, -2147483648, 9223372036854775807,"
          + " 99999999999999999999999999999999999999, 3.14159265358979323846264338327950288419716939937510,"
          + " 1.5, 2.718281828459045, true, B'1', 'abc', '" + EMOJI + "', repeat('y', 3000), '2024-02-29',"
          + " '23:59:59.123456', '2024-02-29 23:59:59.123456', '2024-03-01 02:00:00.654321+02', '\\x00ff10',"
          + " '{\"k\": [1, 2]}', '{\"k\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 7, 'mC')",
          "INSERT INTO \"Order\" (id) VALUES (2)");

      List<List<Object>> rows = importAll(db, "Order", "types.pg");

      List<Object> r = rows.get(0);
      assertThat(r.subList(0, 4)).containsExactly(1, -32768, -2147483648, Long.MAX_VALUE);
      assertThat(r.get(4)).isEqualTo(new BigDecimal("99999999999999999999999999999999999999"));
      assertThat(r.get(5)).hasToString("3.14159265358979323846264338327950288419716939937510");
      assertThat(r.subList(6, 10)).containsExactly(1.5f, 2.718281828459045, true, true);
      assertThat(r.get(10)).hasToString("abc");
      assertThat(r.get(11)).hasToString(EMOJI);
      assertThat(r.get(12).toString()).hasSize(3000);
      assertThat(r.subList(13, 16)).containsExactly(LocalDate.of(2024, 2, 29), "23:59:59.123456", MICROS);
      assertThat(r.get(16)).isEqualTo(OffsetDateTime.of(2024, 3, 1, 0, 0, 0, 654_321_000, ZoneOffset.UTC));
      assertThat(r.get(17)).isEqualTo(bytes(0x00, 0xFF, 0x10));
      assertThat(r.get(18)).hasToString("{\"k\": [1, 2]}");
      assertThat(r.get(19)).hasToString("{\"k\": [1, 2]}");
      assertThat(r.get(20)).hasToString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
      assertThat(r.subList(21, 23).stream().map(String::valueOf).toList()).containsExactly("7", "mC");
      assertAllNull(rows.get(1));
    }
  }

  @Test
  void h2TypesArriveFaithfully() {
    try (TestDatabase db = TestDatabase.create(Kind.H2, tmp)) {
      db.execute("CREATE TABLE \"group\" (ID INT PRIMARY KEY, T TINYINT, S SMALLINT, B BIGINT, D DECIMAL(20,4),"
          + " R REAL, DB DOUBLE PRECISION, BOOL BOOLEAN, V VARCHAR(50), C CLOB, DT DATE, TM TIME(6), TS TIMESTAMP(6),"
          + " TZ TIMESTAMP(6) WITH TIME ZONE, BIN VARBINARY(8), BL BLOB, U UUID, J JSON)");
      db.execute("INSERT INTO \"group\" VALUES (1, -128, -32768, -9223372036854775808, 1234567890123456.7891,"
          + " 1.5, 2.718281828459045, TRUE, '" + EMOJI + "', 'clob text', DATE '2024-02-29', TIME '23:59:59.123456',"
          + " TIMESTAMP '2024-02-29 23:59:59.123456', TIMESTAMP WITH TIME ZONE '2024-03-01 02:00:00.654321+02:00',"
          + " X'00FF10', X'DEADBEEF', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', JSON '{\"k\":[1,2]}')",
          "INSERT INTO \"group\" (ID) VALUES (2)");

      List<List<Object>> rows = importAll(db, "group", "types.h2");

      List<Object> r = rows.get(0);
      assertThat(r.subList(0, 4)).containsExactly(1, -128, -32768, Long.MIN_VALUE);
      assertThat(r.get(4)).isEqualTo(new BigDecimal("1234567890123456.7891"));
      assertThat(r.subList(5, 8)).containsExactly(1.5f, 2.718281828459045, true);
      assertThat(r.get(8)).hasToString(EMOJI);
      assertThat(r.get(9)).hasToString("clob text");
      assertThat(r.subList(10, 13)).containsExactly(LocalDate.of(2024, 2, 29), "23:59:59.123456", MICROS);
      assertThat(r.get(13)).isEqualTo(OffsetDateTime.of(2024, 3, 1, 0, 0, 0, 654_321_000, ZoneOffset.UTC));
      assertThat(r.subList(14, 16)).containsExactly(bytes(0x00, 0xFF, 0x10), bytes(0xDE, 0xAD, 0xBE, 0xEF));
      assertThat(r.get(16)).hasToString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
      assertThat(new String(r.get(17).toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).contains("\"k\"");
      assertAllNull(rows.get(1));
    }
  }

  @Test
  void aTypeFanoutCannotCarryIsAnErrorNamingTheColumn() {
    try (TestDatabase db = TestDatabase.create(Kind.MARIADB, tmp)) {
      db.execute("CREATE TABLE wide (id INT PRIMARY KEY, amount DECIMAL(65,2))");
      FanoutCli fanout = new FanoutCli(tmp.resolve("home")).initWithSource(db);
      Result r = fanout.run("table", "add", "--connection", "src", "--source", db.schema() + ".wide", "--target", "t.wide");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("Column amount of " + db.schema() + ".wide").contains("38 digits");
    }
  }
}
