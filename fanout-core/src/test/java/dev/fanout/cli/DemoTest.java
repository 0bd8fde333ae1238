package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testing.FanoutCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: {@code fanout demo} on a machine with nothing set up. */
class DemoTest {
  @TempDir Path tmp;

  @Test
  void demoImportsEveryTableAndThenAnIncrement() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("fanout-home"));

    String first = fanout.ok("demo");
    assertThat(first)
        .containsPattern("shop\\.orders\\s+incr/append, insert\\s+1200000\\s+1200000\\s+1200000")
        .containsPattern("shop\\.customers\\s+full, truncate_insert\\s+50000\\s+50000\\s+50000")
        .containsPattern("shop\\.products\\s+full, merge\\s+2000\\s+2000\\s+2000")
        .containsPattern("shop\\.payments\\s+full, truncate_insert\\s+300000\\s+300000\\s+300000");
    assertThat(Files.isDirectory(tmp.resolve("fanout-home/cluster/warehouse/shop/orders/metadata"))).isTrue();

    String second = fanout.ok("demo");
    assertThat(second).containsPattern("shop\\.orders\\s+incr/append, insert\\s+5000\\s+5000\\s+1205000");
    assertThat(fanout.ok("table", "show", "shop.orders")).contains("watermark:      1205000");
  }
}
