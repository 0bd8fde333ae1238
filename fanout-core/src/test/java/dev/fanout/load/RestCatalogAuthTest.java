package dev.fanout.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.testing.AuthGateway;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.LakeTables;
import dev.fanout.testing.RestCatalogServer;
import dev.fanout.testing.TestDatabase;
import dev.fanout.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST catalog that wants a bearer token or an OAuth2 client credential, as platform catalogs do: the secret
 * comes from stdin at init, is kept sealed with the instance's key, reaches the catalog and shows nowhere.
 */
class RestCatalogAuthTest {
  private static final String TOKEN = "tok-Geheim-4711";
  private static final String CLIENT_ID = "fanout-loader";
  private static final String CLIENT_SECRET = "cs-Geheim-0815";

  @TempDir Path tmp;
  private RestCatalogServer server;
  private AuthGateway gateway;
  private TestDatabase source;

  @BeforeEach
  void setUp() {
    server = RestCatalogServer.start(tmp.resolve("rest-server"), Path.of("target", "rest-catalog-logs"));
    gateway = AuthGateway.start(server.uri(), TOKEN, CLIENT_ID, CLIENT_SECRET);
    source = TestDatabase.create(Kind.MARIADB, tmp);
    source.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, amount DECIMAL(10,2))",
        "INSERT INTO orders SELECT seq, seq + 0.25 FROM seq_1_to_120");
  }

  @AfterEach
  void tearDown() {
    source.close();
    gateway.close();
    server.close();
  }

  private FanoutCli restInstance(String name, String secretKind, String secret, String... more) {
    FanoutCli fanout = new FanoutCli(tmp.resolve(name));
    List<String> args = new java.util.ArrayList<>(List.of("init", "--cluster-name", name, "--catalog", "rest",
        "--catalog-uri", gateway.uri(), "--catalog-secret-stdin", secretKind));
    args.addAll(List.of(more));
    Result init = fanout.runWithStdin(secret, args.toArray(String[]::new));
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(fanout.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
    return fanout;
  }

  @Test
  void aTokenFromStdinReachesTheCatalogAndShowsNowhere() throws IOException {
    FanoutCli rest = restInstance("r", "token", TOKEN);
    rest.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    String imported = rest.ok("import", "--table", "sales.orders");

    assertThat(LakeTables.rows(rest.home(), "sales.orders")).hasSize(120);
    assertThat(gateway.refused()).as("every call carried the token").isZero();
    String shown = imported + rest.ok("table", "show", "sales.orders") + rest.ok("status");
    assertThat(shown).doesNotContain(TOKEN);
    try (Instance instance = Instance.open(new FanoutHome(rest.home()))) {
      Map<String, String> kept = instance.configuration().startingWith("lake.catalog");
      assertThat(kept).containsKey("lake.catalog.secret.token");
      assertThat(kept.values()).noneMatch(v -> v.contains(TOKEN));
    }
    try (Stream<Path> files = Files.walk(rest.home())) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("cluster")).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as("home file %s", f).doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void anOAuth2ClientCredentialIsExchangedForATokenAtTheOAuth2Server() {
    FanoutCli rest = restInstance("r", "credential", CLIENT_ID + ":" + CLIENT_SECRET,
        "--catalog-property", "oauth2-server-uri=" + gateway.tokenEndpoint(), "--catalog-property", "scope=catalog");
    rest.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    rest.ok("import", "--table", "sales.orders");

    assertThat(LakeTables.rows(rest.home(), "sales.orders")).hasSize(120);
    assertThat(gateway.exchanges()).isPositive();
    assertThat(gateway.refused()).isZero();
  }

  @Test
  void withoutTheTokenInitFailsInOneSentenceAndLeavesNoInstance() {
    FanoutCli rest = new FanoutCli(tmp.resolve("r"));
    Result init = rest.run("init", "--catalog", "rest", "--catalog-uri", gateway.uri());
    Result wrong = rest.runWithStdin("not-the-token", "init", "--catalog", "rest", "--catalog-uri", gateway.uri(),
        "--catalog-secret-stdin", "token");
    Result bad = rest.runWithStdin(TOKEN, "init", "--catalog", "rest", "--catalog-uri", gateway.uri(),
        "--catalog-secret-stdin", "password");
    Result jdbc = rest.runWithStdin(TOKEN, "init", "--catalog-secret-stdin", "token");

    for (Result r : List.of(init, wrong)) {
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip()).startsWith("fanout: Cannot open the lake catalog at " + gateway.uri())
          .containsIgnoringCase("not authorized").doesNotContain("\n");
    }
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--catalog-secret-stdin takes token or credential, not 'password'.");
    assertThat(jdbc.code()).isEqualTo(2);
    assertThat(jdbc.err()).contains("--catalog-secret-stdin goes with --catalog rest.");
    assertThat(new FanoutHome(rest.home()).isInitialized()).isFalse();
    assertThat(rest.run("init", "--catalog", "rest", "--catalog-uri", gateway.uri(), "--catalog-property",
        "token=" + TOKEN).err()).contains("give a token or credential with --catalog-secret-stdin");
  }

  @Test
  void aJdbcInstanceCopiesToATokenGuardedRestInstanceWhoseKeyItHolds() {
    FanoutCli rest = restInstance("r", "token", TOKEN);
    FanoutCli jdbc = new FanoutCli(tmp.resolve("a"));
    jdbc.ok("init", "--cluster-name", "a");
    assertThat(jdbc.runWithStdin(source.password(), "connection", "add", "src", "--url", source.url(), "--user",
        source.user(), "--password-stdin").code()).isZero();
    String db = "jdbc:h2:file:" + tmp.resolve("r/metadata/fanout") + ";AUTO_SERVER=TRUE";
    jdbc.ok("instance", "add", "r", "--db-url", db, "--user", "", "--fs", "file:///", "--basedir",
        tmp.resolve("r/cluster").toString());
    jdbc.ok("table", "add", "--connection", "src", "--source", source.schema() + ".orders", "--target", "sales.orders");
    jdbc.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "r", "--transfer", "sync");
    jdbc.ok("import", "--table", "sales.orders");
    rest.ok("import", "--table", "sales.orders");

    // without r's key, a cannot unseal r's token: verify says what to do instead of a 401
    Result withoutKey = jdbc.run("verify", "--table", "sales.orders");
    assertThat(withoutKey.code()).isEqualTo(1);
    assertThat(withoutKey.out()).contains("sales.orders on r: cannot be read: The REST catalog of instance 'r' needs")
        .contains("--remote-key-file");

    jdbc.ok("copy-rule", "remove", "1");
    jdbc.ok("instance", "remove", "r");
    jdbc.ok("instance", "add", "r", "--db-url", db, "--user", "", "--fs", "file:///", "--basedir",
        tmp.resolve("r/cluster").toString(), "--remote-key-file", tmp.resolve("r/fanout.key").toString());
    jdbc.ok("copy-rule", "add", "--filter", "sales.orders", "--destination", "r", "--transfer", "sync");
    assertThat(jdbc.ok("verify", "--table", "sales.orders")).contains("on r: 120 rows").contains("All 2 agree.");
  }
}
