package dev.fanout.verify;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.instance.Remotes;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyDestinations;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.util.DaemonThreads;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * {@code fanout verify}: row count and content checksum of one table on several instances' clusters
 * (and at its source), all read at once, compared with the first instance named.
 */
public final class Verifier {
  private final Instance instance;
  private final CopyRuleRepository rules;
  private final Remotes remotes;
  private final int threads;
  private final FanoutListener listener;

  public Verifier(Instance instance, CopyRuleRepository rules, Remotes remotes, int threads,
      FanoutListener listener) {
    this.instance = instance;
    this.rules = rules;
    this.remotes = remotes;
    this.threads = threads;
    this.listener = listener;
  }

  /**
   * @param instances instance names; empty means this instance and every destination its copy rules
   *     send the table to
   */
  public VerifyReport verify(TableName name, List<String> instances, boolean source, boolean byPartition) {
    Event started = Event.of(Event.Kind.VERIFY, Event.Phase.STARTED).withTable(name);
    listener.on(started);
    VerifyReport report;
    try {
      report = compare(name, instances, source, byPartition);
    } catch (RuntimeException | Error e) {
      listener.on(started.failed(e));
      throw e;
    }
    // kept before it is reported, so the table's page shows every verify, agreeing or not
    new VerifyResultRepository(instance.transactions()).add(
        instance.tables().find(name).map(ImportTable::id).orElse(null), VerifyResult.of(report, java.time.Instant.now()));
    // places that differ are the verify's failure, though the report itself is the result
    List<String> differences = report.differences();
    listener.on(differences.isEmpty()
        ? started.withPhase(Event.Phase.DONE).withRows(report.rows())
        : started.withPhase(Event.Phase.FAILED).withRows(report.rows())
            .withError(name + " differs: " + String.join("; ", differences)));
    return report;
  }

  private VerifyReport compare(TableName name, List<String> instances, boolean source, boolean byPartition) {
    List<String> places = places(name, instances);
    Optional<ImportTable> imported = instance.tables().find(name);
    if (source && imported.isEmpty()) {
      throw new FanoutException("Table " + name + " is not an imported table here, so it has no source to compare with;"
          + " leave out --source.");
    }
    List<String> columns = columns(name, imported, places.get(0));
    ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("fanout-verify"));
    ExecutorService coordinators = Executors.newCachedThreadPool(DaemonThreads.named("fanout-verify-place"));
    try {
      List<Future<VerifyReport.Place>> reads = new ArrayList<>();
      for (String place : places) {
        reads.add(coordinators.submit(() -> readLake(place, name, columns, byPartition, pool)));
      }
      if (source) {
        ImportTable table = imported.get();
        List<ImportColumn> included = instance.tables().columns(table.id()).stream()
            .filter(ImportColumn::included).toList();
        reads.add(coordinators.submit(() -> {
          SourceChecksums.Result r = SourceChecksums.of(instance, table, included, pool);
          return new VerifyReport.Place("source", Map.of("", r.checksum()), r.scope(), null);
        }));
      }
      List<VerifyReport.Place> results = new ArrayList<>();
      for (Future<VerifyReport.Place> r : reads) {
        results.add(LakeChecksums.await(r, name));
      }
      return new VerifyReport(name, results);
    } finally {
      coordinators.shutdownNow();
      pool.shutdownNow();
    }
  }

  private List<String> places(TableName name, List<String> requested) {
    String self = instance.settings().clusterName();
    LinkedHashSet<String> out = new LinkedHashSet<>();
    if (requested.isEmpty()) {
      out.add(self);
      out.addAll(CopyDestinations.of(name, rules.list()).keySet());
    } else {
      for (String r : requested) {
        if (!r.equals(self)) {
          instance.remoteInstances().require(r);
        }
        out.add(r);
      }
    }
    return new ArrayList<>(out);
  }

  /** The columns compared: an imported table's current columns, else every column of the first instance's table. */
  private List<String> columns(TableName name, Optional<ImportTable> imported, String first) {
    if (imported.isPresent()) {
      return instance.tables().columns(imported.get().id()).stream().filter(ImportColumn::included)
          .map(ImportColumn::name).toList();
    }
    return withTable(first, name, t -> t.schema().columns().stream().map(Types.NestedField::name).toList());
  }

  private VerifyReport.Place readLake(String place, TableName name, List<String> columns, boolean byPartition,
      ExecutorService pool) {
    try {
      Map<String, Checksum> sums = withTable(place, name, t -> LakeChecksums.of(t, columns, byPartition, pool));
      return new VerifyReport.Place(place, sums, null, null);
    } catch (FanoutException e) {
      return new VerifyReport.Place(place, Map.of(), null, e.getMessage());
    }
  }

  private <T> T withTable(String place, TableName name, java.util.function.Function<Table, T> work) {
    if (place.equals(instance.settings().clusterName())) {
      return work.apply(instance.catalog().find(name).orElseThrow(() -> missing(name, place)));
    }
    Instance remote = remotes.open(place);
    return work.apply(remote.catalog().find(name).orElseThrow(() -> missing(name, place)));
  }

  private static FanoutException missing(TableName name, String place) {
    return new FanoutException("table " + name + " does not exist on instance " + place);
  }
}
