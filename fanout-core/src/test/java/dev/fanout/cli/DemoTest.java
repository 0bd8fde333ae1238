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
  void demoReadsEachTableOnceLandsItOnThreeClustersAndAnIncrementReachesAllThree() {
    Path home = tmp.resolve("fanout-home");
    FanoutCli fanout = new FanoutCli(home);

    String first = fanout.ok("demo", "--no-serve", "--port", "0");
    // read once from the source, then the same rows and checksums on a, b and c
    assertThat(first)
        .containsPattern("shop\\.orders\\s+incr/append, insert\\s+1200000\\s+1200000\\s+1200000\\s+1200000\\s+agree")
        .containsPattern("shop\\.customers\\s+full, truncate_insert\\s+50000\\s+50000\\s+50000\\s+50000\\s+agree")
        .containsPattern("shop\\.products\\s+full, merge\\s+2000\\s+2000\\s+2000\\s+2000\\s+agree")
        .containsPattern("shop\\.payments\\s+full, truncate_insert\\s+300000\\s+300000\\s+300000\\s+300000\\s+agree")
        .contains("Read 1552000 rows from the source, once. Every cluster holds the same rows as the source")
        .containsPattern("Queued the copy of shop\\.orders import \\S+ to instance c")
        .containsPattern("Copying shop\\.orders import \\S+ to instance b");
    for (String cluster : new String[] {"cluster", "demo/b/cluster", "demo/c/cluster"}) {
      assertThat(home.resolve(cluster + "/warehouse/shop/orders/metadata")).isDirectory();
    }
    // b and c are instances of their own, which only load what a copied to them
    FanoutCli c = new FanoutCli(home.resolve("demo/c"));
    assertThat(c.ok("table", "show", "shop.orders")).contains("copy_slave:     1").contains("watermark:      1200000");
    assertThat(fanout.ok("jobs", "--destination", "c")).contains("DONE").doesNotContain("FAILED");

    String second = fanout.ok("demo", "--no-serve", "--port", "0");
    assertThat(second)
        .contains("Added new orders to the demo source.")
        .containsPattern("shop\\.orders\\s+incr/append, insert\\s+5000\\s+1205000\\s+1205000\\s+1205000\\s+agree");
    assertThat(c.ok("table", "show", "shop.orders")).contains("watermark:      1205000");
    assertThat(Files.exists(home.resolve("api-token"))).isTrue();
  }
}
