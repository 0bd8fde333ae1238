package dev.fanout.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutHome;
import dev.fanout.events.Event;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.TableName;
import dev.fanout.testing.FanoutCli;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An endpoint that never comes back cannot fill the metadata database: its outbox keeps the newest events. */
class OutboxBoundTest {
  @TempDir Path tmp;

  @Test
  void aFullOutboxDropsTheOldestEventsAndCountsThem() {
    FanoutCli fanout = new FanoutCli(tmp.resolve("home"));
    fanout.ok("init");
    try (WebhookEndpoint endpoint = WebhookEndpoint.start()) {
      fanout.ok("notify", "add", "--url", endpoint.url(), "--events", "import.done");
      try (Instance instance = Instance.open(new FanoutHome(fanout.home()))) {
        NotificationRepository repository = new NotificationRepository(instance.transactions());
        NotificationOutbox outbox = new NotificationOutbox(repository, 3);
        for (int i = 1; i <= 5; i++) {
          outbox.on(Event.of(Event.Kind.IMPORT, Event.Phase.DONE).withTable(TableName.parse("sales.orders")).withRows(i));
        }
        assertThat(fanout.ok("notify", "list")).contains("undelivered 3, dropped 2");

        try (NotificationSender sender = NotificationSender.forCommand(repository, instance.leases(), instance.cipher())) {
          sender.attemptOnce(Duration.ofSeconds(2));
        }
      }
      assertThat(endpoint.received()).extracting(p -> p.json().get("rows").asLong()).containsExactly(3L, 4L, 5L);
      assertThat(fanout.ok("notify", "list")).contains("undelivered 0, dropped 2");
    }
  }
}
