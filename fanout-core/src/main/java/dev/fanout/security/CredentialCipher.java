package dev.fanout.security;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credentials at rest with AES-256-GCM under a key file that {@code fanout init} creates with
 * permissions 0600. Ciphertexts look like {@code v1:<base64(iv || ciphertext+tag)>}; the GCM tag makes a
 * wrong key an error instead of garbage.
 */
public final class CredentialCipher {
  private static final String PREFIX = "v1:";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final Path keyFile;

  private CredentialCipher(SecretKey key, Path keyFile) {
    this.key = key;
    this.keyFile = keyFile;
  }

  /** Creates a new random key file readable only by its owner. Refuses to overwrite one. */
  public static CredentialCipher create(Path keyFile) {
    if (Files.exists(keyFile)) {
      throw new FanoutException("Key file " + keyFile + " already exists; refusing to replace it.");
    }
    try {
      KeyGenerator generator = KeyGenerator.getInstance("AES");
      generator.init(256, RANDOM);
      SecretKey key = generator.generateKey();
      Files.createDirectories(keyFile.toAbsolutePath().getParent());
      Files.createFile(keyFile);
      try {
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: nothing more we can do here
      }
      Files.writeString(keyFile, Base64.getEncoder().encodeToString(key.getEncoded()) + "\n");
      return new CredentialCipher(key, keyFile);
    } catch (GeneralSecurityException | IOException e) {
      throw new FanoutException("Could not create the key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  public static CredentialCipher load(Path keyFile) {
    if (!Files.isRegularFile(keyFile)) {
      throw new FanoutException(
          "The key file " + keyFile + " is missing, so stored credentials cannot be decrypted;"
              + " copy it from the original home or add the credentials again.");
    }
    try {
      return fromKeyText(Files.readString(keyFile), keyFile);
    } catch (IOException e) {
      throw new FanoutException("The key file " + keyFile + " cannot be read: " + e.getMessage(), e);
    }
  }

  /** A cipher from the text of a key file (another instance's key, kept sealed under ours). */
  public static CredentialCipher fromKeyText(String text, Path origin) {
    try {
      byte[] raw = Base64.getDecoder().decode(text.trim());
      if (raw.length != 32) {
        throw new FanoutException("The key file " + origin + " is not a Fanout key (wrong length).");
      }
      return new CredentialCipher(new SecretKeySpec(raw, "AES"), origin);
    } catch (IllegalArgumentException e) {
      throw new FanoutException("The key file " + origin + " is not a Fanout key.", e);
    }
  }

  public String encrypt(String plain) {
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  public String decrypt(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      throw new FanoutException("Stored credentials are not in a format this Fanout can read.");
    }
    try {
      byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new FanoutException(
          "Stored credentials cannot be decrypted with the key file " + keyFile
              + "; it is not the key they were encrypted with.");
    }
  }
}
