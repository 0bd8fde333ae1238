package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's API is safe by default: reachable from its own host only unless told otherwise, HTTPS
 * with a keystore whose password never goes on a command line, tokens listed without their secret,
 * revoked at once, never overwritten while in use, and never valid for no time.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a server that starts by mistake would block here for good
class ApiSafetyTest {
  private static final String KEYSTORE_PASSWORD = "keystore-secret-42";

  @TempDir Path tmp;
  private FanoutCli fanout;
  private Path homeToken;

  @BeforeEach
  void init() {
    fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    homeToken = tmp.resolve("home/api-token");
  }

  @Test
  void theServerListensOnThisHostOnlyByDefaultAndSaysSo() throws Exception {
    try (ServerProcess server = ServerProcess.start(fanout.home(), tmp.resolve("logs"))) {
      assertThat(server.output()).contains("listening on http://127.0.0.1:" + server.port() + " (this host only");

      assertThat(get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port(), token(homeToken)).statusCode())
          .isEqualTo(200);
      Optional<InetAddress> otherAddress = nonLoopbackAddress();
      if (otherAddress.isPresent()) {
        assertThatThrownBy(() -> connect(otherAddress.get(), server.port()))
            .as("nothing answers on " + otherAddress.get()).isInstanceOf(ConnectException.class);
      }
    }
  }

  @Test
  void aRevokedTokenIsRefusedByTheRunningServerAtOnce() throws Exception {
    Path second = tmp.resolve("ci-token");
    fanout.ok("token", "create", "--valid-for", "30d", "--file", second.toString());
    try (ServerProcess server = ServerProcess.start(fanout.home(), tmp.resolve("logs"))) {
      String url = "http://127.0.0.1:" + server.port();
      HttpClient client = HttpClient.newHttpClient();
      assertThat(get(client, url, token(second)).statusCode()).isEqualTo(200);

      fanout.ok("token", "revoke", idOfTheTokenNotInTheHome(fanout.ok("token", "list")));

      assertThat(get(client, url, token(second)).statusCode()).as("the revoked token").isEqualTo(401);
      assertThat(get(client, url, token(homeToken)).statusCode()).as("the other token still works").isEqualTo(200);
    }
  }

  @Test
  void tokenListShowsIdsAndTimesButNoPartOfAnyToken() throws Exception {
    Path second = tmp.resolve("ci-token");
    fanout.ok("token", "create", "--valid-for", "12h", "--file", second.toString());

    String list = fanout.ok("token", "list");

    assertThat(list.lines()).hasSize(3);
    assertThat(list.lines().skip(1)).allMatch(l -> l.matches("\\d+ +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +"
        + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +valid.*"));
    assertThat(list).as("the token in the home's file is marked").contains(homeToken.toString());
    for (Path file : new Path[] {homeToken, second}) {
      String secret = token(file).substring("fo1_".length());
      for (int i = 0; i + 4 <= secret.length(); i++) {
        assertThat(list).doesNotContain(secret.substring(i, i + 4));
      }
    }
  }

  @Test
  void tokenCreateNeverOverwritesAFileWhoseTokenIsStillInUseWithoutForce() throws Exception {
    String before = token(homeToken);

    Result refused = fanout.run("token", "create");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err().lines()).singleElement().asString().contains(homeToken.toString())
        .contains("still", "--force");
    assertThat(token(homeToken)).isEqualTo(before);
    assertThat(fanout.ok("token", "list").lines()).as("no token was added").hasSize(2);

    fanout.ok("token", "create", "--force");
    assertThat(token(homeToken)).isNotEqualTo(before);

    Path notAToken = tmp.resolve("notes.txt");
    Files.writeString(notAToken, "my notes\n");
    assertThat(fanout.run("token", "create", "--file", notAToken.toString()).code()).isEqualTo(1);
    assertThat(Files.readString(notAToken)).isEqualTo("my notes\n");
  }

  @Test
  void aRevokedTokensFileMayBeOverwrittenWithoutForce() throws Exception {
    fanout.ok("token", "revoke", idOnLineOf(fanout.ok("token", "list"), homeToken.toString()));
    String revoked = token(homeToken);

    fanout.ok("token", "create");

    assertThat(token(homeToken)).isNotEqualTo(revoked);
  }

  @Test
  void aTokenValidForNoTimeIsRefusedAsABadCommandLine() {
    for (String validFor : new String[] {"0", "0s", "-1h"}) {
      Path file = tmp.resolve("never-" + validFor);
      Result r = fanout.run("token", "create", "--valid-for", validFor, "--file", file.toString());
      assertThat(r.code()).as(validFor).isEqualTo(2);
      assertThat(r.err().lines()).singleElement().asString().contains("--valid-for")
          .doesNotContain("Exception");
      assertThat(file).doesNotExist();
    }
  }

  @Test
  void revokingAnUnknownTokenSaysHowToFindTheIds() {
    Result r = fanout.run("token", "revoke", "999");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("There is no API token 999; 'fanout token list' shows them.");
  }

  @Test
  void theServerServesHttpsWithAKeystoreWhosePasswordCameOnStdin() throws Exception {
    Path keystore = keystore(tmp.resolve("server.p12"));
    try (ServerProcess server = ServerProcess.startWithStdin(fanout.home(), tmp.resolve("logs"), KEYSTORE_PASSWORD,
        "--tls-keystore", keystore.toString(), "--tls-keystore-password-stdin")) {
      String url = "https://127.0.0.1:" + server.port();
      assertThat(server.output()).contains("listening on " + url + " (this host only");

      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
      HttpResponse<String> health = get(trusting, url, token(homeToken));
      assertThat(health.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port(), token(homeToken)))
          .as("plain HTTP gets no answer").isInstanceOf(IOException.class);
      assertThat(server.output()).doesNotContain(KEYSTORE_PASSWORD);
    }
  }

  @Test
  void aKeystoreWithoutItsPasswordOrWithAWrongOneIsRefusedInOneSentence() throws Exception {
    Path keystore = keystore(tmp.resolve("server.p12"));

    Result noPassword = fanout.run("server", "--port", "0", "--tls-keystore", keystore.toString());
    assertThat(noPassword.code()).isEqualTo(2);
    assertThat(noPassword.err().lines()).singleElement().asString()
        .contains("--tls-keystore needs its password", "--tls-keystore-password-stdin", "FANOUT_TLS_KEYSTORE_PASSWORD");

    Result wrong = fanout.runWithStdin("not-the-password", "server", "--port", "0", "--tls-keystore",
        keystore.toString(), "--tls-keystore-password-stdin");
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err().lines()).singleElement().asString().contains("did not open").doesNotContain("not-the-password");

    Result stdinAlone = fanout.run("server", "--port", "0", "--tls-keystore-password-stdin");
    assertThat(stdinAlone.code()).isEqualTo(2);
    assertThat(stdinAlone.err()).contains("--tls-keystore-password-stdin needs --tls-keystore");
  }

  @Test
  void anAddressThatIsNotThisHostsIsRefused() {
    Result r = fanout.run("server", "--port", "0", "--bind", "no-such-host.invalid");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("--bind 'no-such-host.invalid' is not an address");
  }

  private static String token(Path file) throws IOException {
    return Files.readString(file).trim();
  }

  private static HttpResponse<String> get(HttpClient client, String base, String token)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/health")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The id on the listing's line that ends with {@code end}. */
  private static String idOnLineOf(String list, String end) {
    return list.lines().skip(1).filter(l -> l.strip().endsWith(end)).findFirst()
        .orElseThrow(() -> new AssertionError("no token line ending in '" + end + "' in\n" + list)).split(" +")[0];
  }

  private static String idOfTheTokenNotInTheHome(String list) {
    return idOnLineOf(list, "valid");
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 5000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && nic.isUp()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  /** A PKCS12 keystore with a self-signed key for 127.0.0.1, made by the JDK's keytool as a user would. */
  private static Path keystore(Path file) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "fanout", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", file.toString(), "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("keytool failed: " + out);
    }
    return file;
  }

  /** A client's trust in the keystore's certificate only. */
  private static SSLContext trusting(Path keystore) throws Exception {
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      server.load(in, KEYSTORE_PASSWORD.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("fanout", server.getCertificate("fanout"));
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
