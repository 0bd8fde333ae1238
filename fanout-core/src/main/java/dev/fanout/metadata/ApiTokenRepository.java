package dev.fanout.metadata;

import dev.fanout.jdbc.UtcTimes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@code api_tokens}: the SHA-256 of each API token and when it expires; never the token itself. */
public final class ApiTokenRepository {
  private final Sql tx;

  public ApiTokenRepository(Sql tx) {
    this.tx = tx;
  }

  public void add(String tokenHash, Instant expires) {
    tx.run("storing an API token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO api_tokens (token_hash, created, expires) VALUES (?, ?, ?)")) {
        ps.setString(1, tokenHash);
        UtcTimes.set(ps, 2, Instant.now());
        UtcTimes.set(ps, 3, expires);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** When the token with this hash expires; empty if there is no such token. */
  public Optional<Instant> expiry(String tokenHash) {
    return tx.run("checking an API token", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT expires FROM api_tokens WHERE token_hash = ?")) {
        ps.setString(1, tokenHash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(UtcTimes.get(rs, 1)) : Optional.empty();
        }
      }
    });
  }

  public boolean anyValid() {
    return tx.run("checking API tokens", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_tokens WHERE expires > ?")) {
        UtcTimes.set(ps, 1, Instant.now());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1) > 0;
        }
      }
    });
  }
}
