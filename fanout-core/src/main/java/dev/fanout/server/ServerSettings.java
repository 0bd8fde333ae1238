package dev.fanout.server;

import dev.fanout.failure.BadInputException;
import dev.fanout.replication.Backoff;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How a server runs: where it listens, how many jobs at once, how often it looks for work, leases and
 * retries. It listens on the loopback address unless told otherwise, so a new server is reachable from
 * its own host only; {@code tls}, when present, makes its API HTTPS (null: plain HTTP).
 */
public record ServerSettings(int port, int workers, Duration poll, Duration lease, Backoff backoff,
    int flagAfterAttempts, Duration grace, String bind, SSLContext tls) {

  public static final int DEFAULT_PORT = 8421;
  /** This host only: reaching the API from elsewhere is a choice someone makes with {@code --bind}. */
  public static final String LOOPBACK = "127.0.0.1";

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
    private String bind = LOOPBACK;
    private SSLContext tls;

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

    public Builder bind(String address) {
      this.bind = address;
      return this;
    }

    /** Serves HTTPS with this context's key and certificate. */
    public Builder tls(SSLContext context) {
      this.tls = context;
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
      return new ServerSettings(port, workers, poll, lease, backoff, flagAfterAttempts, grace, bind, tls);
    }
  }
}
