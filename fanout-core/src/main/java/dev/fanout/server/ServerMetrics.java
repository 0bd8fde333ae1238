package dev.fanout.server;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyJobState;
import dev.fanout.replication.TableLag;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The server's Prometheus metrics. The queue's state (jobs per state, lag, flagged jobs) is read from the
 * metadata database at each scrape, so every server of an instance reports the same, true numbers; the
 * counters count what this server process copied since it started, from the events of its copy jobs.
 */
public final class ServerMetrics implements FanoutListener {
  /** The text exposition format's content type, for the HTTP response. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  // Our own registry, not the global default: two servers in one JVM (tests) never share counters.
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter bytes;
  private final Counter done;
  private final Counter failures;

  public ServerMetrics(CopyJobReports jobs, int flagAfterAttempts) {
    GaugeWithCallback.builder().name("fanout_copy_jobs").help("Copy jobs in each state.").labelNames("state")
        .callback(cb -> {
          for (Map.Entry<CopyJobState, Integer> e : jobs.countsByState().entrySet()) {
            cb.call(e.getValue(), e.getKey().name());
          }
        })
        .register(registry);
    GaugeWithCallback.builder().name("fanout_copy_lag_seconds")
        .help("Age of the oldest pending copy job of a table to a destination (0 when none is pending).")
        .labelNames("table", "destination")
        .callback(cb -> {
          for (TableLag lag : jobs.lag()) {
            cb.call(lag.lagSeconds(), lag.table().toString(), lag.destination());
          }
        })
        .register(registry);
    GaugeWithCallback.builder().name("fanout_copy_jobs_flagged")
        .help("Copy jobs a person should look at: FLAGGED ones (a failure no retry mends; not retried) and"
            + " pending ones that failed at least " + flagAfterAttempts + " times (still retried).")
        .callback(cb -> cb.call(jobs.countFlagged(flagAfterAttempts)))
        .register(registry);
    bytes = counter("fanout_copy_bytes_total", "Bytes copied to each destination by this server.");
    done = counter("fanout_copy_jobs_done_total", "Copy jobs this server finished, per destination.");
    failures = counter("fanout_copy_failures_total", "Failed tries of copy jobs on this server, per destination.");
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).labelNames("destination").withoutExemplars().register(registry);
  }

  /** Counts the copy jobs (copies and table mirrors) that ended, per destination. */
  @Override
  public void on(Event e) {
    if ((e.kind() != Event.Kind.COPY && e.kind() != Event.Kind.MIRROR) || e.destination() == null) {
      return;
    }
    if (e.phase() == Event.Phase.DONE) {
      bytes.labelValues(e.destination()).inc(e.bytes());
      done.labelValues(e.destination()).inc();
    } else if (e.phase() == Event.Phase.FAILED) {
      failures.labelValues(e.destination()).inc();
    }
  }

  /** Every metric in the Prometheus text format; reads the queue's numbers from the database now. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory does not fail", e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
