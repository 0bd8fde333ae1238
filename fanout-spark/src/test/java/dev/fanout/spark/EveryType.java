package dev.fanout.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A source table with a column of every type fanout-core's TypeFidelityTest lands (its MariaDB and PostgreSQL lists,
 * with the same extreme values): row i holds each column's i-th value, a last row holds NULL only.
 */
final class EveryType {
  private EveryType() {}

  private static final String EMOJI = "'Grüße 😀 𝄞 ☕ 日本'";
  private static final String LONG_EMOJI = "'" + "😀".repeat(40) + "𝄞'";
  private static final String MICROS = "'2024-02-29 23:59:59.123456'";

  private record Column(String name, String type, List<String> values) {}

  private static Column c(String name, String type, String... values) {
    return new Column(name, type, List.of(values));
  }

  /** The statements that create and fill {@code table} in a MariaDB database. */
  static String[] mariaDb(String table) {
    return statements(table, "`", List.of(
        c("tiny", "TINYINT", "-128", "127"),
        c("tiny_u", "TINYINT UNSIGNED", "0", "255"),
        c("small", "SMALLINT", "-32768", "32767"),
        c("small_u", "SMALLINT UNSIGNED", "65535"),
        c("medium", "MEDIUMINT", "-8388608", "8388607"),
        c("medium_u", "MEDIUMINT UNSIGNED", "16777215"),
        c("int_s", "INT", "-2147483648", "2147483647"),
        c("int_u", "INT UNSIGNED", "4294967295"),
        c("big", "BIGINT", "-9223372036854775808", "9223372036854775807"),
        c("big_u", "BIGINT UNSIGNED", "18446744073709551615", "0"),
        c("dec_38_10", "DECIMAL(38,10)", "9999999999999999999999999999.9999999999",
            "-1234567890123456789012345678.0000000001"),
        c("dec_38_0", "DECIMAL(38,0)", "-99999999999999999999999999999999999999"),
        c("dec_u", "DECIMAL(10,2) UNSIGNED", "12345678.90", "0"),
        // values a FLOAT holds exactly: MariaDB's text protocol sends a FLOAT with 6 significant digits
        c("flt", "FLOAT", "1.5", "-0.25"),
        c("dbl", "DOUBLE", "2.718281828459045", "-1.7976931348623157E308"),
        c("bool", "BOOLEAN", "TRUE", "FALSE"),
        c("bit_1", "BIT(1)", "b'1'", "b'0'"),
        c("bit_8", "BIT(8)", "b'10101010'"),
        c("bit_64", "BIT(64)", "b'" + "1".repeat(64) + "'"),
        c("chr", "CHAR(5)", "'😀𝄞'", "'ab  '"),
        c("vchr", "VARCHAR(100)", EMOJI, "''"),
        c("tiny_text", "TINYTEXT", "'𝄞'"),
        c("txt", "TEXT", LONG_EMOJI),
        c("medium_text", "MEDIUMTEXT", EMOJI),
        c("long_text", "LONGTEXT", LONG_EMOJI),
        c("dt", "DATE", "'2024-02-29'", "'1000-01-01'"),
        // a TIME lands as the source's text (table add --time-as string, the default), durations beyond a day too:
        // Spark 3.5 refuses a whole table with an Iceberg time column (--time-as time)
        c("tm", "TIME(6)", "'23:59:59.123456'", "'00:00:00'", "'-838:59:59'"),
        c("dtm", "DATETIME(6)", MICROS, "'1000-01-01 00:00:00.000001'"),
        c("ts", "TIMESTAMP(6) NULL", MICROS),
        c("yr", "YEAR", "2024"),
        c("bin", "BINARY(4)", "x'00FF10'"),
        c("vbin", "VARBINARY(8)", "x'DEADBEEF'", "x''"),
        c("tiny_blob", "TINYBLOB", "x'01'"),
        c("blb", "BLOB", "x'00FF10'"),
        c("medium_blob", "MEDIUMBLOB", "x'0203'"),
        c("long_blob", "LONGBLOB", "x'" + "AB".repeat(70_000) + "'"),
        c("js", "JSON", "'{\"k\": [1, 2], \"emoji\": \"😀\"}'"),
        c("size", "ENUM('small','large')", "'large'", "'small'"),
        c("flags", "SET('a','b','c')", "'a,c'", "''"),
        c("place", "POINT", "ST_GeomFromText('POINT(1 2)')")), "SET time_zone = '+00:00'");
  }

  /** The statements that create and fill {@code table} in a PostgreSQL database's public schema. */
  static String[] postgres(String table) {
    return statements(table, "\"", List.of(
        c("small", "SMALLINT", "-32768", "32767"),
        c("int_s", "INTEGER", "-2147483648", "2147483647"),
        c("big", "BIGINT", "-9223372036854775808", "9223372036854775807"),
        c("num_38_10", "NUMERIC(38,10)", "9999999999999999999999999999.9999999999",
            "-1234567890123456789012345678.0000000001"),
        c("num_38_0", "NUMERIC(38,0)", "99999999999999999999999999999999999999"),
        c("num_any", "NUMERIC", "123456789012345678901234567890123456789012.000000000000000000001", "'NaN'"),
        c("rl", "REAL", "1.2345678", "'-Infinity'", "'NaN'"),
        c("dbl", "DOUBLE PRECISION", "2.718281828459045", "'Infinity'"),
        c("bool", "BOOLEAN", "TRUE", "FALSE"),
        c("bit_1", "BIT(1)", "B'1'", "B'0'"),
        c("bit_8", "BIT(8)", "B'10101010'", "B'00000001'"),
        c("var_bit", "BIT VARYING(8)", "B'101'"),
        c("chr", "CHAR(5)", "'😀𝄞'"),
        c("vchr", "VARCHAR(100)", EMOJI, "''"),
        c("txt", "TEXT", LONG_EMOJI),
        c("dt", "DATE", "'2024-02-29'", "'0001-01-01 BC'"),
        // as the source's text, like MariaDB's TIME
        c("tm", "TIME(6)", "'23:59:59.123456'", "'24:00:00'"),
        c("tm_tz", "TIME WITH TIME ZONE", "'12:00:00+02'"),
        c("ts", "TIMESTAMP(6)", MICROS, "'0001-01-01 00:00:00'"),
        c("ts_tz", "TIMESTAMPTZ(6)", "'2024-03-01 05:29:59.123456+05:30'"),
        c("iv", "INTERVAL", "'1 day 2 hours'"),
        c("bytes", "BYTEA", "'\\x00ff10'", "''"),
        c("js", "JSON", "'{\"b\": 1,  \"a\": \"😀\"}'"),
        c("jsb", "JSONB", "'{\"b\": 1,  \"a\": \"😀\"}'"),
        c("id_u", "UUID", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
        c("cash", "MONEY", "1234.56"),
        c("feeling", "mood", "'happy'"),
        c("addr", "INET", "'10.0.0.1'")), "CREATE TYPE mood AS ENUM ('sad', 'happy')");
  }

  private static String[] statements(String table, String quote, List<Column> columns, String first) {
    List<String> out = new ArrayList<>(List.of(first));
    out.add("CREATE TABLE " + table + " (id INT PRIMARY KEY" + columns.stream()
        .map(c -> ", " + quote + c.name() + quote + " " + c.type()).collect(Collectors.joining()) + ")");
    int rows = columns.stream().mapToInt(c -> c.values().size()).max().orElse(0) + 1;
    for (int r = 0; r < rows; r++) {
      int row = r;
      out.add("INSERT INTO " + table + " VALUES (" + (row + 1) + columns.stream()
          .map(c -> ", " + (row < c.values().size() ? c.values().get(row) : "NULL")).collect(Collectors.joining()) + ")");
    }
    return out.toArray(String[]::new);
  }
}
