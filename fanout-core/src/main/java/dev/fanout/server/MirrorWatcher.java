package dev.fanout.server;

import dev.fanout.replication.CopyJobQueue;

import dev.fanout.instance.Instance;
import dev.fanout.metadata.TableName;
import dev.fanout.mirror.MirrorRule;
import dev.fanout.mirror.MirrorRuleRepository;
import dev.fanout.mirror.MirrorState;
import dev.fanout.mirror.MirrorStateRepository;
import dev.fanout.mirror.TablePointers;
import dev.fanout.util.DaemonThreads;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync on commit: every poll, one query reads where each lake table's metadata points; a table that a
 * sync rule covers and that moved (or that this server has not looked at yet) gets a sync job per
 * destination when its current snapshot is not the one last synced there. The jobs then run like copy
 * jobs: leased, retried, in order, with their lag in the API.
 */
final class MirrorWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorWatcher.class);

  private final Instance instance;
  private final Runnable wakeWorkers;
  private final MirrorRuleRepository rules;
  private final MirrorStateRepository states;
  private final TablePointers pointers;
  private final Map<String, String> seen = new HashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fanout-sync-watch"));

  MirrorWatcher(Instance instance, Duration poll, Runnable wakeWorkers) {
    this.instance = instance;
    this.wakeWorkers = wakeWorkers;
    this.rules = new MirrorRuleRepository(instance.transactions());
    this.states = new MirrorStateRepository(instance.transactions());
    this.pointers = new TablePointers(instance.transactions(), instance.catalog());
    long every = Math.max(100, poll.toMillis());
    timer.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
  }

  private void look() {
    try {
      List<MirrorRule> all = rules.list();
      if (all.isEmpty()) {
        return;
      }
      boolean queued = false;
      for (Map.Entry<TableName, String> table : pointers.read().entrySet()) {
        for (MirrorRule rule : all) {
          if (rule.filter().matches(table.getKey())) {
            queued |= check(table.getKey(), rule.destination(), table.getValue());
          }
        }
      }
      if (queued) {
        wakeWorkers.run();
      }
    } catch (RuntimeException e) {
      // the metadata database or the cluster is away: look again at the next poll
      LOG.warn("Cannot look for new snapshots to sync: {}", e.getMessage());
    }
  }

  private boolean check(TableName name, String destination, String pointer) {
    String key = name + "/" + destination;
    if (Objects.equals(seen.get(key), pointer)) {
      return false;
    }
    Optional<Table> table = instance.catalog().find(name);
    Snapshot current = table.map(Table::currentSnapshot).orElse(null);
    if (current == null) {
      seen.put(key, pointer);
      return false;
    }
    Optional<MirrorState> state = states.find(name, destination);
    boolean behind = state.map(s -> !Long.valueOf(current.snapshotId()).equals(s.syncedSnapshotId())).orElse(true);
    boolean queued = behind && new CopyJobQueue(instance.transactions()).enqueueSync(states.syncId(name, destination), name, destination,
        current.snapshotId(), table.get().location());
    if (queued) {
      LOG.info("Sync of {} to {} queued for snapshot {}", name, destination, current.snapshotId());
    }
    seen.put(key, pointer);
    return queued;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
