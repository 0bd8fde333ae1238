package dev.fanout.metadata;

import dev.fanout.jdbc.UtcTimes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code api_tokens}: the SHA-256 of each API token and when it expires; never the token itself. */
public final class ApiTokenRepository {
  private final Sql tx;

  public ApiTokenRepository(Sql tx) {
    this.tx = tx;
  }

  /** A token as the database knows it: its id and times, never the token or its hash. */
  public record Token(long id, Instant created, Instant expires) {
    public boolean validAt(Instant now) {
      return expires.isAfter(now);
    }
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

  /** Every token, oldest first. */
  public List<Token> list() {
    return tx.run("listing the API tokens", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT token_id, created, expires FROM api_tokens ORDER BY token_id")) {
        List<Token> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(token(rs));
          }
        }
        return out;
      }
    });
  }

  /** The token with this hash, if this instance has it. */
  public Optional<Token> find(String tokenHash) {
    return tx.run("reading an API token", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT token_id, created, expires FROM api_tokens WHERE token_hash = ?")) {
        ps.setString(1, tokenHash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(token(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Forgets the token: from the next request on it is unknown here. False if there was none with this id. */
  public boolean remove(long id) {
    return tx.run("revoking API token " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_tokens WHERE token_id = ?")) {
        ps.setLong(1, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private static Token token(ResultSet rs) throws java.sql.SQLException {
    return new Token(rs.getLong(1), UtcTimes.get(rs, 2), UtcTimes.get(rs, 3));
  }
}
