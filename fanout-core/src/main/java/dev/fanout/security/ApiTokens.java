package dev.fanout.security;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.ApiTokenRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer tokens of the server's HTTP API. A token is 32 random bytes, written once to a 0600 file for
 * its user; the metadata database keeps only its SHA-256 and expiry, so neither a database dump nor a
 * log reveals a usable token.
 */
public final class ApiTokens {
  public static final String FILE_NAME = "api-token";
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);
  private static final String PREFIX = "fo1_";
  private static final Pattern FORM = Pattern.compile("fo1_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Why a presented token was refused, or {@link #VALID}. */
  public enum Check {
    VALID, MISSING, MALFORMED, UNKNOWN, EXPIRED
  }

  private final ApiTokenRepository repository;

  public ApiTokens(ApiTokenRepository repository) {
    this.repository = repository;
  }

  /** Makes a token valid for {@code validity}, stores its hash and writes it to {@code file} (0600). */
  public void issue(Duration validity, Path file) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    write(file, token);
    repository.add(hash(token), Instant.now().plus(validity));
  }

  public Check check(String presented) {
    if (presented == null || presented.isBlank()) {
      return Check.MISSING;
    }
    if (!FORM.matcher(presented).matches()) {
      return Check.MALFORMED;
    }
    return repository.expiry(hash(presented))
        .map(expires -> expires.isAfter(Instant.now()) ? Check.VALID : Check.EXPIRED)
        .orElse(Check.UNKNOWN);
  }

  /** Every token of this instance, oldest first (ids and times only: the tokens themselves are nowhere here). */
  public List<ApiTokenRepository.Token> list() {
    return repository.list();
  }

  /** Revokes a token: the API refuses it from the next request on. */
  public void revoke(long id) {
    if (!repository.remove(id)) {
      throw new FanoutException("There is no API token " + id + "; 'fanout token list' shows them.");
    }
  }

  /** The token of this instance that {@code file} holds, if it holds one. */
  public Optional<ApiTokenRepository.Token> inFile(Path file) {
    String held = readIfToken(file);
    return held == null ? Optional.empty() : repository.find(hash(held));
  }

  /**
   * Refuses to overwrite {@code file} while it holds something that may still be in use: a token of this
   * instance still valid, or anything that is not a Fanout token at all.
   */
  public void checkReplaceable(Path file) {
    if (!Files.exists(file)) {
      return;
    }
    if (readIfToken(file) == null) {
      throw new FanoutException(file + " exists and does not hold a Fanout API token; choose another --file, or"
          + " pass --force to overwrite it.");
    }
    inFile(file).filter(t -> t.validAt(Instant.now())).ifPresent(t -> {
      throw new FanoutException(file + " holds API token " + t.id() + ", still valid until "
          + t.expires().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + "; write the new one elsewhere with"
          + " --file, or pass --force to replace the file (token " + t.id() + " stays valid until 'fanout token"
          + " revoke " + t.id() + "').");
    });
  }

  /** The file's contents if they have a token's form, else null. */
  private static String readIfToken(Path file) {
    try {
      String text = Files.readString(file).trim();
      return FORM.matcher(text).matches() ? text : null;
    } catch (IOException e) {
      return null;
    }
  }

  public boolean anyValid() {
    return repository.anyValid();
  }

  /** Reads a token file written by {@link #issue}. */
  public static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new FanoutException("Cannot read the API token file " + file + ": " + e.getMessage()
          + "; 'fanout token create' writes a new one.", e);
    }
  }

  static String hash(String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static void write(Path file, String token) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".api-token", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's own protection has to do
      }
      Files.writeString(tmp, token + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FanoutException("Cannot write the API token file " + file + ": " + e.getMessage(), e);
    }
  }
}
