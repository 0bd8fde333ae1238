package dev.fanout.server;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server's key and certificate for HTTPS, from a PKCS12 keystore. */
public final class TlsKeystore {
  private TlsKeystore() {}

  /**
   * Opens the keystore and makes the TLS context the API serves with. The password is wiped from
   * {@code password} once read, so it stays in memory no longer than needed.
   */
  public static SSLContext load(Path keystore, char[] password) {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      if (!hasKey(store)) {
        throw new FanoutException("The TLS keystore " + keystore + " holds no private key; the server needs its"
            + " key and certificate in it (keytool -genkeypair, or openssl pkcs12 -export).");
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (NoSuchFileException e) {
      throw new FanoutException("The TLS keystore " + keystore + " does not exist; give a PKCS12 file with"
          + " --tls-keystore.", e);
    } catch (IOException | GeneralSecurityException e) {
      // a wrong password and a file that is not PKCS12 fail alike in the JDK
      throw new FanoutException("The TLS keystore " + keystore + " did not open (" + e.getMessage() + "); check that"
          + " it is PKCS12 and that its password is the one given on stdin or in "
          + "FANOUT_TLS_KEYSTORE_PASSWORD.", e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }
}
