package dev.fanout.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.fanout.testing.FanoutCli;
import dev.fanout.testing.FanoutCli.Result;
import dev.fanout.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server of an embedded instance also serves its metadata database to the instance's commands. When
 * someone stops it (Ctrl-Z in its terminal), a command fails at once and says which process to resume,
 * instead of waiting on a socket that accepts and never answers.
 */
@EnabledOnOs(OS.LINUX)
class StoppedHostTest {
  @TempDir Path tmp;

  @Test
  void aCommandOnAnInstanceWhoseServerIsStoppedFailsAtOnceNamingIt() throws Exception {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    try (ServerProcess server = ServerProcess.start(fanout.home(), tmp.resolve("logs"))) {
      long pid = server.pid();
      signal("STOP", pid);
      try {
        Result jobs = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> fanout.run("jobs"));

        assertThat(jobs.code()).isEqualTo(1);
        assertThat(jobs.err().strip().lines()).hasSize(1);
        assertThat(jobs.err()).contains("is served by process " + pid + " (")
            .contains("which is stopped; resume it ('kill -CONT " + pid + "') or end it, then retry.");
      } finally {
        signal("CONT", pid);
      }
      assertThat(fanout.run("jobs").code()).as("once resumed, the command works").isZero();
    }
  }

  private static void signal(String name, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor()).isZero();
  }
}
