package dev.fanout.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a read is cut into sessions: ranges of the split column that together hold every row once. */
class SplitPlannerTest {
  private Connection c;

  @BeforeEach
  void open() throws SQLException {
    c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID(), "sa", "");
  }

  @AfterEach
  void close() throws SQLException {
    c.close();
  }

  private void execute(String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  private List<SqlFragment> plan(String column, Type type, int sessions) throws SQLException {
    return plan(column, type, sessions, SqlFragment.TRUE);
  }

  private List<SqlFragment> plan(String column, Type type, int sessions, SqlFragment filter) throws SQLException {
    return new SplitPlanner(SourceDialect.H2).plan(c, "T", "T", filter, column, type, sessions);
  }

  /** The rows each split reads, as the split readers would count them. */
  private List<Long> rowsPerSplit(List<SqlFragment> splits, SqlFragment filter) throws SQLException {
    List<Long> counts = new ArrayList<>();
    for (SqlFragment split : splits) {
      SqlFragment where = filter.and(split);
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM T WHERE " + where.sql())) {
        where.bind(ps, 1);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          counts.add(rs.getLong(1));
        }
      }
    }
    return counts;
  }

  @Test
  void splitsTogetherReadEveryRowOnceIncludingRowsWithoutAValue() throws SQLException {
    execute("CREATE TABLE T (ID BIGINT)", "INSERT INTO T SELECT X FROM SYSTEM_RANGE(1, 1000)",
        "INSERT INTO T VALUES (NULL), (NULL)");
    List<SqlFragment> splits = plan("ID", Types.LongType.get(), 4);
    assertThat(splits).hasSize(4);
    assertThat(rowsPerSplit(splits, SqlFragment.TRUE)).containsExactly(251L, 250L, 250L, 251L);
  }

  @Test
  void onlyTheRowsOfTheReadAreSplit() throws SQLException {
    execute("CREATE TABLE T (ID BIGINT)", "INSERT INTO T SELECT X FROM SYSTEM_RANGE(1, 1000)");
    SqlFragment increment = SqlFragment.of("ID > ?", 900L);
    List<SqlFragment> splits = plan("ID", Types.LongType.get(), 2, increment);
    assertThat(rowsPerSplit(splits, increment)).containsExactly(49L, 51L);
  }

  @Test
  void aRangeWithFewerValuesThanSessionsGetsFewerSplits() throws SQLException {
    execute("CREATE TABLE T (ID INT)", "INSERT INTO T VALUES (10), (11), (12)");
    List<SqlFragment> splits = plan("ID", Types.IntegerType.get(), 8);
    assertThat(splits).hasSize(2);
    assertThat(rowsPerSplit(splits, SqlFragment.TRUE)).containsExactly(1L, 2L);
  }

  @Test
  void oneSessionAnEmptyTableOrASingleValueIsReadInOnePiece() throws SQLException {
    execute("CREATE TABLE T (ID BIGINT)");
    assertThat(plan("ID", Types.LongType.get(), 4)).containsExactly(SqlFragment.TRUE);
    execute("INSERT INTO T VALUES (7), (7), (7)");
    assertThat(plan("ID", Types.LongType.get(), 4)).containsExactly(SqlFragment.TRUE);
    execute("INSERT INTO T VALUES (8)");
    assertThat(plan("ID", Types.LongType.get(), 1)).containsExactly(SqlFragment.TRUE);
  }

  @Test
  void datesTimestampsAndDecimalsSplitLikeNumbers() throws SQLException {
    execute("CREATE TABLE T (D DATE, TS TIMESTAMP(6), TZ TIMESTAMP(6) WITH TIME ZONE, AMOUNT DECIMAL(12,2))",
        "INSERT INTO T SELECT DATEADD('DAY', X, DATE '2024-01-01'), DATEADD('MINUTE', X * 90, TIMESTAMP '2024-01-01 00:00:00'),"
            + " DATEADD('SECOND', X, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+02:00'), X * 0.37"
            + " FROM SYSTEM_RANGE(0, 365)");
    Type[] types = {Types.DateType.get(), Types.TimestampType.withoutZone(), Types.TimestampType.withZone(),
        Types.DecimalType.of(12, 2)};
    String[] columns = {"D", "TS", "TZ", "AMOUNT"};
    for (int i = 0; i < columns.length; i++) {
      List<Long> counts = rowsPerSplit(plan(columns[i], types[i], 3), SqlFragment.TRUE);
      assertThat(counts).as(columns[i]).hasSize(3).allMatch(n -> n > 100);
      assertThat(counts.stream().mapToLong(Long::longValue).sum()).as(columns[i]).isEqualTo(366);
    }
  }

  @Test
  void aColumnThatIsNotANumberOrADateCannotSplitARead() {
    assertThat(SplitPlanner.canSplitOn(Types.StringType.get())).isFalse();
    assertThatThrownBy(() -> plan("NAME", Types.StringType.get(), 4)).isInstanceOf(FanoutException.class)
        .hasMessage("Split column NAME of T is string; choose a numeric or date column with --split-by.");
  }
}
