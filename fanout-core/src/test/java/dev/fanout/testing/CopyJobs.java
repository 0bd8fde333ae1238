package dev.fanout.testing;

import dev.fanout.config.FanoutHome;
import dev.fanout.instance.Instance;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyJobFilter;
import dev.fanout.replication.CopyJobReports;
import dev.fanout.replication.CopyJobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** An instance's copy jobs as 'fanout jobs' lists them, and waiting for a server to get them done. */
public final class CopyJobs {
  private CopyJobs() {}

  public static List<CopyJob> of(FanoutCli instance) {
    try (Instance i = Instance.open(new FanoutHome(instance.home()))) {
      return new CopyJobReports(i.transactions()).list(new CopyJobFilter(null, null, null, 1000));
    }
  }

  public static void await(FanoutCli instance, Predicate<List<CopyJob>> done, Duration timeout, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!done.test(of(instance))) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(what + " did not happen within " + timeout + ": " + of(instance));
      }
      Thread.sleep(100);
    }
  }

  public static Predicate<List<CopyJob>> allDone(int n) {
    return jobs -> jobs.size() == n && jobs.stream().allMatch(j -> j.state() == CopyJobState.DONE);
  }
}
