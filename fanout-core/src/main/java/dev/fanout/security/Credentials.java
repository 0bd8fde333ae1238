package dev.fanout.security;

import java.util.Objects;

/** A user name and password in memory. {@link #toString()} never shows the password. */
public final class Credentials {
  private final String user;
  private final String password;

  public Credentials(String user, String password) {
    this.user = user == null ? "" : user;
    this.password = password == null ? "" : password;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The form stored (encrypted) in the metadata database: user, a NUL, then the password. */
  public String seal(CredentialCipher cipher) {
    return cipher.encrypt(user + '\0' + password);
  }

  public static Credentials unseal(CredentialCipher cipher, String sealed) {
    String plain = cipher.decrypt(sealed);
    int nul = plain.indexOf('\0');
    return nul < 0 ? new Credentials(plain, "") : new Credentials(plain.substring(0, nul), plain.substring(nul + 1));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credentials c && c.user.equals(user) && c.password.equals(password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, password);
  }

  @Override
  public String toString() {
    return "Credentials{user=" + user + ", password=****}";
  }
}
