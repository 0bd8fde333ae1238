package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.TestDatabase;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server that cannot run says why in one sentence and exits (1, or 2 for a bad option), before it takes any job. */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a server that starts by mistake would block here for good
class ServerBadInputTest {
  @TempDir Path tmp;

  @Test
  void aMetadataDatabaseOfAnOlderSchemaIsRefusedWithTheWayOut() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    int older;
    try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(tmp.resolve("home"))) {
      raw.update("DELETE FROM flyway_schema_history WHERE version = '" + MetadataDatabase.SCHEMA_VERSION + "'");
      // the migration before the newest: versions may have gaps (another branch's migrations come later)
      older = raw.query("SELECT version FROM flyway_schema_history WHERE success = TRUE").stream()
          .map(r -> String.valueOf(r.get(0))).filter(v -> v.matches("\\d+")).mapToInt(Integer::parseInt).max()
          .orElseThrow();
    }
    Result old = fanout.run("server", "--port", "0");
    assertThat(old.code()).isEqualTo(1);
    assertThat(old.err()).contains("is at schema version " + older
        + " and this Fanout needs version " + MetadataDatabase.SCHEMA_VERSION).contains("run 'fanout upgrade'");
  }

  @Test
  void badServerOptionsAreRefused() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    Result workers = fanout.run("server", "--port", "0", "--workers", "0");
    assertThat(workers.code()).isEqualTo(2);
    assertThat(workers.err()).contains("--workers must be between 1 and 256, not 0");
    Result poll = fanout.run("server", "--port", "0", "--poll", "soon");
    assertThat(poll.code()).isEqualTo(2);
    assertThat(poll.err()).contains("--poll 'soon' is not a duration");
    Result retry = fanout.run("server", "--port", "0", "--retry-base", "20m", "--retry-cap", "10m");
    assertThat(retry.code()).isEqualTo(2);
    assertThat(retry.err()).contains("--retry-base must not be above --retry-cap.");
  }

  @Test
  void tokensAreWrittenOnlyToAPrivateFile() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    String init = fanout.ok("init");
    Path token = tmp.resolve("home/api-token");
    assertThat(init).contains(token.toString());
    assertThat(java.nio.file.Files.getPosixFilePermissions(token))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    String secret = java.nio.file.Files.readString(token).trim();
    assertThat(secret).startsWith("fo1_");
    assertThat(init).doesNotContain(secret);
    String created = fanout.ok("token", "create", "--valid-for", "7d", "--file", tmp.resolve("t2").toString());
    assertThat(created).contains("valid 7 days").doesNotContain(java.nio.file.Files.readString(tmp.resolve("t2")).trim());
    try (TestDatabase.Raw raw = TestDatabase.Raw.metadataOf(tmp.resolve("home"))) {
      assertThat(raw.query("SELECT token_hash FROM api_tokens").toString()).doesNotContain(secret);
    }
  }
}
