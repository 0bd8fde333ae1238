package dev.fanout.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.metadata.EmbeddedH2;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.security.Credentials;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.ServerProcess;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's embedded metadata database is private to the user who runs it: the home is theirs alone, the
 * database has a random password only the home knows, and its AUTO_SERVER port answers on 127.0.0.1 only.
 * Another local user who learns the URL, or reads the server's host, port and key, still cannot log in.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PrivateMetadataTest {
  /** What another local user might try: H2's default user, the old empty one, and Fanout's user without its password. */
  private static final List<Credentials> GUESSES =
      List.of(new Credentials("sa", ""), new Credentials("", ""), new Credentials(EmbeddedH2.USER, ""));

  @TempDir Path tmp;

  @Test
  void initMakesTheHomeAndItsMetadataReadableByItsOwnerOnly() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");

    assertThat(mode(fanout.home())).isEqualTo("rwx------");
    assertThat(mode(fanout.home().resolve("metadata"))).isEqualTo("rwx------");
    for (String file : List.of("fanout.key", "fanout.properties", "api-token")) {
      assertThat(mode(fanout.home().resolve(file))).as(file).isEqualTo("rw-------");
    }
    Properties settings = settings(fanout.home());
    assertThat(settings.getProperty("metadata.user")).isEqualTo(EmbeddedH2.USER);
    assertThat(settings.getProperty("metadata.password")).as("sealed with the home's key").startsWith("v1:");
  }

  @Test
  void whileTheServerRunsOnlyTheHomesPasswordOpensItsDatabase() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    try (ServerProcess server = ServerProcess.start(fanout.home(), tmp.resolve("logs"))) {
      Properties lock = lockFile(fanout.home());
      String address = lock.getProperty("server");
      String host = address.substring(0, address.lastIndexOf(':'));
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      assertThat(InetAddress.getByName(host).isLoopbackAddress()).as(address).isTrue();
      for (InetAddress other : nonLoopbackAddresses()) {
        assertThat(acceptsConnections(other, port)).as("AUTO_SERVER port on " + other).isFalse();
      }

      String byUrl = EmbeddedH2.url(fanout.home());
      String byLockFile = "jdbc:h2:tcp://" + address + "/" + lock.getProperty("id");
      for (Credentials guess : GUESSES) {
        assertThat(refusal(byUrl, guess)).as("URL, " + guess).contains("Wrong user name or password");
        assertThat(refusal(byLockFile, guess)).as("lock file, " + guess).contains("Wrong user name or password");
      }
      Credentials kept = new dev.fanout.config.FanoutHome(fanout.home()).metadataCredentials();
      try (Connection c = DriverManager.getConnection(byLockFile, kept.user(), kept.password())) {
        assertThat(c.isValid(5)).as("the same address with the home's password").isTrue();
      }
      assertThat(fanout.ok("connection", "list")).as("commands share the server's database").isNotNull();
    }
  }

  @Test
  void anotherHomeOnThisHostIsAddedWithTheCredentialsItKeeps() {
    FanoutCli a = new FanoutCli(tmp.resolve("a"));
    a.ok("init", "--cluster-name", "a");
    FanoutCli b = new FanoutCli(tmp.resolve("b"));
    b.ok("init", "--cluster-name", "b");

    a.ok("instance", "add", "b", "--db-url", EmbeddedH2.url(b.home()), "--fs", "file:///", "--basedir",
        b.home().resolve("cluster").toString());
    assertThat(a.ok("instance", "list")).contains("b");
  }

  @Test
  void aHomeAnOlderFanoutMadeWithoutAPasswordIsRefusedUntilUpgradeGivesItOne() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    makeLikeAnOlderFanout(fanout.home());

    Result refused = fanout.run("connection", "list");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("has no password").contains("upgrade' once");

    assertThat(fanout.ok("upgrade")).contains("a password");
    fanout.ok("connection", "list");
    assertThat(refusal(EmbeddedH2.url(fanout.home()), new Credentials("", ""))).contains("Wrong user name or password");
    assertThat(settings(fanout.home()).getProperty("metadata.password")).startsWith("v1:");
    assertThat(mode(fanout.home())).isEqualTo("rwx------");
    assertThat(mode(fanout.home().resolve("fanout.properties"))).isEqualTo("rw-------");
  }

  /** A home as Fanout made it before: an embedded database of user "" without a password, and wider modes. */
  private static void makeLikeAnOlderFanout(Path home) throws IOException {
    Files.delete(home.resolve("metadata/fanout.mv.db"));
    MetadataDatabase.open(EmbeddedH2.url(home), "", "").close();
    Properties settings = settings(home);
    settings.remove("metadata.password");
    settings.setProperty("metadata.user", "");
    try (Writer w = Files.newBufferedWriter(home.resolve("fanout.properties"))) {
      settings.store(w, null);
    }
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(home.resolve("fanout.properties"), PosixFilePermissions.fromString("rw-r--r--"));
  }

  /** Why the database refused {@code guess}; "opened" if it did not. */
  private static String refusal(String url, Credentials guess) {
    try (Connection ignored = DriverManager.getConnection(MetadataDatabase.normalizeUrl(url), guess.user(), guess.password())) {
      return "opened";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static boolean acceptsConnections(InetAddress address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(PrivateMetadataTest::isUp)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
  }

  private static Properties lockFile(Path home) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("metadata/fanout.lock.db"))) {
      p.load(r);
    }
    return p;
  }

  private static Properties settings(Path home) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(home.resolve("fanout.properties"))) {
      p.load(r);
    }
    return p;
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static boolean isUp(NetworkInterface i) {
    try {
      return i.isUp();
    } catch (SocketException e) {
      return false;
    }
  }
}
