package dev.fanout.cli;

import dev.fanout.events.FanoutListener;
import dev.fanout.events.LogListener;
import dev.fanout.instance.Instance;
import dev.fanout.notify.NotificationOutbox;
import dev.fanout.notify.NotificationRepository;
import dev.fanout.notify.NotificationSender;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener of a command's work: the console, the log and the notification outbox. Closing it
 * (at the end of the command, whether the work succeeded or not) makes one short attempt to deliver the
 * outbox, so an import run by cron notifies even where no server runs; what is not delivered stays.
 */
final class CommandEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandEvents.class);
  /** The most a command waits for notifications at its end. */
  private static final Duration LAST_DELIVERY = Duration.ofSeconds(2);

  private final Instance instance;
  private final ConsoleProgress console;
  private final NotificationRepository notifications;
  private final NotificationOutbox outbox;
  private final FanoutListener listener;

  private CommandEvents(Instance instance, ConsoleProgress console) {
    this.instance = instance;
    this.console = console;
    this.notifications = new NotificationRepository(instance.transactions());
    this.outbox = new NotificationOutbox(notifications);
    this.listener = FanoutListener.all(console, LogListener.forCommand(), outbox)
        .forInstance(instance.settings().clusterName());
  }

  static CommandEvents open(Instance instance) {
    return new CommandEvents(instance, ConsoleProgress.forThisProcess());
  }

  FanoutListener listener() {
    return listener;
  }

  @Override
  public void close() {
    console.close();
    if (!outbox.hasEndpoints()) {
      return;
    }
    try (NotificationSender sender = NotificationSender.forCommand(notifications, instance.leases(), instance.cipher())) {
      sender.attemptOnce(LAST_DELIVERY);
    } catch (RuntimeException e) {
      // best effort: the events stay in the outbox for the server or the next command
      LOG.debug("Notifications left for later: {}", e.getMessage());
    }
  }
}
