package dev.fanout.server;

import dev.fanout.failure.BadInputException;
import dev.fanout.replication.Backoff;
import java.time.Duration;

/** How a server runs: its port, how many jobs at once, how often it looks for work, leases and retries. */
public record ServerSettings(int port, int workers, Duration poll, Duration lease, Backoff backoff,
    int flagAfterAttempts, Duration grace) {

  public static final int DEFAULT_PORT = 8421;

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int port = DEFAULT_PORT;
    private int workers = 4;
    private Duration poll = Duration.ofMillis(500);
    private Duration lease = Duration.ofSeconds(30);
    private Backoff backoff = Backoff.DEFAULT;
    private int flagAfterAttempts = 5;
    private Duration grace = Duration.ofSeconds(30);

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder poll(Duration poll) {
      this.poll = poll;
      return this;
    }

    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    public Builder flagAfterAttempts(int attempts) {
      this.flagAfterAttempts = attempts;
      return this;
    }

    public Builder grace(Duration grace) {
      this.grace = grace;
      return this;
    }

    public ServerSettings build() {
      if (port < 0 || port > 65535) {
        throw new BadInputException("--port must be between 0 and 65535.");
      }
      if (workers < 1 || workers > 256) {
        throw new BadInputException("--workers must be between 1 and 256.");
      }
      if (flagAfterAttempts < 1) {
        throw new BadInputException("--flag-after must be at least 1.");
      }
      if (lease.toMillis() < 1000) {
        throw new BadInputException("--lease must be at least 1s.");
      }
      return new ServerSettings(port, workers, poll, lease, backoff, flagAfterAttempts, grace);
    }
  }
}
