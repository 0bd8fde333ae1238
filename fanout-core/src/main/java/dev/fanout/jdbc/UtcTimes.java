package dev.fanout.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Every TIMESTAMP column Fanout writes or reads holds the UTC wall clock, whatever this JVM's time zone.
 * A plain {@code setTimestamp}/{@code getTimestamp} (or a {@code LocalDateTime} on MariaDB) goes through the
 * JVM's zone, so a time in its daylight-saving gap moved by an hour; a UTC calendar has no gaps, and H2,
 * MariaDB and PostgreSQL drivers all honour it.
 */
public final class UtcTimes {
  private UtcTimes() {}

  /** Binds {@code instant} (or SQL NULL) as the UTC wall clock. */
  public static void set(PreparedStatement ps, int index, Instant instant) throws SQLException {
    if (instant == null) {
      ps.setNull(index, Types.TIMESTAMP);
    } else {
      ps.setTimestamp(index, Timestamp.from(instant), utc());
    }
  }

  /** The instant a UTC wall-clock column holds, or null. */
  public static Instant get(ResultSet rs, int index) throws SQLException {
    Timestamp t = rs.getTimestamp(index, utc());
    return t == null ? null : t.toInstant();
  }

  public static Instant get(ResultSet rs, String column) throws SQLException {
    return get(rs, rs.findColumn(column));
  }

  /** A zone-less timestamp column exactly as stored (no gap or overlap of this JVM's zone moves it), or null. */
  public static LocalDateTime wallClock(ResultSet rs, int index) throws SQLException {
    Timestamp t = rs.getTimestamp(index, utc());
    return t == null ? null
        : LocalDateTime.ofEpochSecond(Math.floorDiv(t.getTime(), 1000L), t.getNanos(), ZoneOffset.UTC);
  }

  /**
   * One calendar per thread (a driver sets its fields while converting, and split readers run in parallel),
   * Gregorian all the way back so a year before 1582 keeps its day.
   */
  private static final ThreadLocal<Calendar> UTC = ThreadLocal.withInitial(() -> {
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone(ZoneOffset.UTC), Locale.ROOT);
    c.setGregorianChange(new Date(Long.MIN_VALUE));
    return c;
  });

  private static Calendar utc() {
    return UTC.get();
  }
}
