package dev.fanout.failover;

import dev.fanout.events.Event;
import dev.fanout.events.FanoutListener;
import dev.fanout.events.Reported;
import dev.fanout.replication.CopyJobReports;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.imports.Importer;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.failure.NeedsPersonException;
import dev.fanout.metadata.UnitOfWork;
import dev.fanout.replication.CopyJob;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.replication.DataTransfer;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.replication.TableFilter;
import dev.fanout.security.Credentials;
import dev.fanout.lease.HeldLease;
import dev.fanout.lease.Lease;
import dev.fanout.lease.LeaseStore;
import dev.fanout.lease.Leases;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Failover and failback of a group of tables between this instance and a mirror. A switch happens only
 * when nothing is in flight (every copy job of the tables done, every copied import loaded), under the
 * tables' import locks on both sides, in two transactions: the old primary becomes a copy_slave first,
 * then the new one the importer with the same watermarks, so a crash in between leaves no table with
 * two importers, and running the command again completes it. Every switch is recorded.
 */
public final class RoleSwitcher {
  private final Instance instance;
  private final Importer importer;
  private final FanoutListener listener;

  /** @param importer loads here the copies that arrived before a failback */
  public RoleSwitcher(Instance instance, Importer importer, FanoutListener listener) {
    this.instance = instance;
    this.importer = importer;
    this.listener = listener;
  }

  /** @param await wait (up to {@code timeout}) for pending copies and loads instead of refusing */
  public record Options(boolean dryRun, boolean await, Duration timeout) {}

  /** Makes {@code to} the importer of the tables this instance imports now, with copies back to here. */
  public void failover(TableFilter filter, String to, Options options) {
    switchRoles(Event.of(Event.Kind.ROLE_SWITCH, Event.Phase.STARTED).withDestination(to), options,
        () -> failoverNow(filter, to, options));
  }

  /** Switches the tables a recorded failover moved away back to this instance, once their backlog is here. */
  public void failback(TableFilter filter, Options options) {
    switchRoles(Event.of(Event.Kind.ROLE_SWITCH, Event.Phase.STARTED), options, () -> failbackNow(filter, options));
  }

  /**
   * Runs a switch between ROLE_SWITCH STARTED and DONE (its last sentence as message) or FAILED; a dry run
   * changes nothing, so it only sends its lines as notes.
   */
  private void switchRoles(Event started, Options options, Supplier<String> work) {
    if (options.dryRun()) {
      say(work.get());
    } else {
      Reported.run(listener, started, work, sentence -> started.withMessage(sentence));
    }
  }

  private void say(String text) {
    listener.on(Event.note(Event.Kind.ROLE_SWITCH, null, text));
  }

  private String failoverNow(TableFilter filter, String to, Options options) {
    String self = instance.settings().clusterName();
    if (to.equals(self)) {
      throw new FanoutException("Cannot fail over to instance '" + to + "': that is this instance.");
    }
    RemoteInstance remote = instance.remoteInstances().require(to);
    List<ImportTable> tables = matching(filter);
    Instance here = instance;
    try (Instance mirror = instance.openRemote(remote)) {
      List<ImportTable> pending = new ArrayList<>();
      List<String> notReplicas = new ArrayList<>();
      for (ImportTable t : tables) {
        Optional<ImportTable> there = mirror.tables().find(t.target());
        if (there.isEmpty() || (!t.copySlave() && !there.get().copySlave())) {
          notReplicas.add(t.target().toString());
        } else if (there.get().copySlave()) {
          pending.add(t);
        }
      }
      if (!notReplicas.isEmpty()) {
        boolean onTheWay = tables.stream().anyMatch(t -> new CopyJobReports(here.transactions()).pendingFor(t.id()).stream()
            .anyMatch(j -> j.destination().equals(to)));
        throw new FanoutException("Instance '" + to + "' is not a replica of " + String.join(", ", notReplicas)
            + " (a replica is a copy_slave of the table there); " + (onTheWay
                ? "copies to it are still pending: retry once they are done and loaded there."
                : "copy them there first."));
      }
      if (pending.isEmpty()) {
        return "Every table of '" + filter + "' is imported by " + to + " already; nothing changed.";
      }
      awaitQuiet(() -> blockers(here, pending, mirror), options);
      List<SourceConnection> credentialsFor = connectionsNeedingCredentials(mirror, pending);
      Optional<RemoteInstance> backToHere = mirror.remoteInstances().find(self).isPresent() ? Optional.empty()
          : Optional.of(selfAsSeenBy(mirror));
      TableFilter reverse = filterOf(pending);
      boolean ruleExists = new CopyRuleRepository(mirror.transactions()).list().stream().anyMatch(r -> r.destination().equals(self)
          && r.filter().toString().equals(reverse.toString()));

      say((options.dryRun() ? "Would make " : "Making ") + to + " the importer of:");
      pending.forEach(t -> say("  " + t.target() + watermark(t)));
      say("  " + self + " becomes a copy_slave of them; " + to + " copies them back here asynchronously"
          + (ruleExists ? "" : " (new rule '" + reverse + "' -> " + self + ", allow-backlog)")
          + (backToHere.isPresent() ? "; registers this instance as '" + self + "' there" : "")
          + (credentialsFor.isEmpty() ? "" : "; hands it the credentials of connection(s) "
              + credentialsFor.stream().map(SourceConnection::alias).toList()));
      if (options.dryRun()) {
        return "Dry run: nothing changed.";
      }
      withLeases(here, mirror, pending, leases -> {
        RoleSwitchRepository history = new RoleSwitchRepository(instance.transactions());
        long id = history.started("FAILOVER", key(tables), self, to);
        here.inTransaction("making " + self + " a copy_slave", work -> {
          leases.check(here, work);
          for (ImportTable t : pending) {
            work.tables().setRole(t.id(), true, t.incrMaxValue());
          }
          return null;
        });
        secondStep("failover", self, to, () -> mirror.inTransaction("making " + to + " the importer", work -> {
          leases.check(mirror, work);
          for (SourceConnection connection : credentialsFor) {
            work.connections().upsert(connection);
          }
          for (ImportTable t : pending) {
            work.tables().setRole(work.tables().require(t.target()).id(), false, t.incrMaxValue());
          }
          if (!ruleExists) {
            new CopyRuleRepository(work).add(reverse, self, DataTransfer.ASYNCHRONOUS, true);
          }
          return null;
        }));
        backToHere.ifPresent(r -> mirror.remoteInstances().add(r));
        history.finished(id);
      });
      return "Failed over " + pending.size() + " table(s) to " + to + ".";
    }
  }

  private String failbackNow(TableFilter filter, Options options) {
    String self = instance.settings().clusterName();
    List<ImportTable> tables = matching(filter);
    String to = new RoleSwitchRepository(instance.transactions()).lastFailoverTarget(key(tables))
        .orElseThrow(() -> new FanoutException("No failover of " + key(tables) + " is recorded on this instance;"
            + " failback switches back to here after 'fanout failover' moved these tables away."));
    RemoteInstance remote = instance.remoteInstances().require(to);
    Instance here = instance;
    try (Instance primary = instance.openRemote(remote)) {
      List<ImportTable> pending = tables.stream().filter(ImportTable::copySlave).toList();
      if (pending.isEmpty()) {
        return "Every table of '" + filter + "' is imported here already; nothing changed.";
      }
      awaitQuiet(() -> backlog(primary, pending), options);
      if (!options.dryRun()) {
        loadCopiesHere(pending);
      }
      List<ImportTable> theirs = new ArrayList<>();
      for (ImportTable t : pending) {
        theirs.add(primary.tables().require(t.target()));
      }
      say((options.dryRun() ? "Would make " : "Making ") + self + " the importer again of:");
      theirs.forEach(t -> say("  " + t.target() + watermark(t)));
      say("  " + to + " becomes a copy_slave of them again.");
      if (options.dryRun()) {
        return "Dry run: nothing changed.";
      }
      withLeases(here, primary, pending, leases -> {
        RoleSwitchRepository history = new RoleSwitchRepository(instance.transactions());
        long id = history.started("FAILBACK", key(tables), to, self);
        primary.inTransaction("making " + to + " a copy_slave", work -> {
          leases.check(primary, work);
          for (ImportTable t : theirs) {
            work.tables().setRole(t.id(), true, t.incrMaxValue());
          }
          return null;
        });
        secondStep("failback", to, self, () -> here.inTransaction("making " + self + " the importer", work -> {
          leases.check(here, work);
          for (ImportTable t : theirs) {
            work.tables().setRole(work.tables().require(t.target()).id(), false, t.incrMaxValue());
          }
          return null;
        }));
        history.finished(id);
      });
      return "Failed back " + pending.size() + " table(s) from " + to + ".";
    }
  }

  /**
   * The switch's second commit. When it fails, the first has made the old importer a copy_slave: no side
   * imports until the same command runs again, which finds the tables replicas on both sides and completes.
   */
  private static void secondStep(String command, String oldImporter, String newImporter, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      throw new FanoutException("The " + command + " stopped halfway: " + oldImporter + " is a copy_slave of the tables"
          + " now but " + newImporter + " is not their importer yet, so neither imports them; run the same 'fanout "
          + command + "' again to complete it (" + e.getMessage() + ")", e);
    }
  }

  private List<ImportTable> matching(TableFilter filter) {
    List<ImportTable> tables = instance.tables().list().stream().filter(t -> filter.matches(t.target())).toList();
    if (tables.isEmpty()) {
      throw new FanoutException("No table of this instance matches '" + filter + "'; 'fanout table list' shows them.");
    }
    return tables;
  }

  /** Why the tables cannot switch now: copies of theirs still on the way, or copies the mirror has not loaded. */
  private static List<String> blockers(Instance primary, List<ImportTable> tables, Instance mirror) {
    List<String> out = new ArrayList<>(backlog(primary, tables));
    for (ImportTable t : tables) {
      int unloaded = mirror.stagedImports().unloaded(mirror.tables().require(t.target()).id()).size();
      if (unloaded > 0) {
        out.add(mirror.name() + " has " + unloaded + " copied import(s) of " + t.target() + " not loaded yet (run"
            + " 'fanout import --table " + t.target() + "' there)");
      }
    }
    return out;
  }

  private static List<String> backlog(Instance primary, List<ImportTable> tables) {
    List<String> out = new ArrayList<>();
    for (ImportTable t : tables) {
      ImportTable there = primary.tables().require(t.target());
      List<CopyJob> jobs = new CopyJobReports(primary.transactions()).pendingFor(there.id());
      if (!jobs.isEmpty()) {
        CopyJob first = jobs.get(0);
        out.add(jobs.size() + " copy job(s) of " + t.target() + " on " + primary.name() + " not done (job "
            + first.id() + " to " + first.destination() + ", " + first.state() + ", " + first.attempts() + " attempts"
            + (first.lastError() == null ? "" : ", last error: " + first.lastError()) + ")");
      }
    }
    return out;
  }

  private void awaitQuiet(Supplier<List<String>> blockers, Options options) {
    Instant deadline = Instant.now().plus(options.timeout());
    List<String> now = blockers.get();
    while (!now.isEmpty()) {
      if (!options.await() || options.dryRun()) {
        throw new FanoutException("Cannot switch now: " + String.join("; ", now)
            + ". Retry when they are done, or add --wait.");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new FanoutException("Still not ready after " + options.timeout().toMinutes() + " min: "
            + String.join("; ", now) + ".");
      }
      say("Waiting: " + String.join("; ", now));
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FanoutException("Interrupted while waiting for the tables to be ready to switch.");
      }
      now = blockers.get();
    }
  }

  /** The tables' connections that lack credentials on the mirror, sealed for it (it will read the source). */
  private List<SourceConnection> connectionsNeedingCredentials(Instance mirror, List<ImportTable> tables) {
    List<SourceConnection> out = new ArrayList<>();
    for (String alias : new LinkedHashSet<>(tables.stream().map(ImportTable::connection).toList())) {
      Optional<SourceConnection> there = mirror.connections().find(alias);
      if (there.isPresent() && there.get().sealedCredentials() != null) {
        continue;
      }
      SourceConnection local = instance.connections().require(alias);
      Credentials credentials = instance.credentials(local.sealedCredentials());
      out.add(new SourceConnection(alias, local.jdbcUrl(), sealFor(mirror, credentials),
          local.maxSessions()));
    }
    return out;
  }

  /** This instance as the mirror registers it, to copy back here: our metadata credentials sealed for it. */
  private RemoteInstance selfAsSeenBy(Instance mirror) {
    var settings = instance.settings();
    String password = settings.metadataPasswordSealed() == null ? ""
        : instance.cipher().decrypt(settings.metadataPasswordSealed());
    String sealed = sealFor(mirror, new Credentials(settings.metadataUser(), password));
    return new RemoteInstance(settings.clusterName(), settings.metadataUrl(), sealed, settings.fileSystem().toString(),
        settings.basedir(), false, null, null);
  }

  private static String sealFor(Instance mirror, Credentials credentials) {
    try {
      return mirror.seal(credentials);
    } catch (NeedsPersonException e) {
      throw new NeedsPersonException("A failover to '" + mirror.name() + "' hands it source and metadata credentials,"
          + " encrypted with its key, which this instance does not have; re-add it with 'fanout instance add "
          + mirror.name() + " ... --remote-key-file <its fanout.key>'.", e);
    }
  }

  private void loadCopiesHere(List<ImportTable> tables) {
    for (ImportTable t : tables) {
      if (!instance.stagedImports().unloaded(t.id()).isEmpty()) {
        say("Loading the copies of " + t.target() + " that arrived here first.");
        importer.run(t.target());
      }
    }
  }

  /**
   * Holds the import lease of every table on both sides for the switch (renewed while it runs), so no
   * import starts meanwhile; the switch's commits check them in their own transactions.
   */
  private void withLeases(Instance a, Instance b, List<ImportTable> tables, Consumer<SwitchLeases> work) {
    List<HeldLease> held = new ArrayList<>();
    Map<String, List<HeldLease>> bySide = new HashMap<>();
    try {
      for (Instance side : List.of(a, b)) {
        for (ImportTable t : tables) {
          HeldLease lease = HeldLease.tryAcquire(side.leases(), Lease.importOf(t.target()), Leases.length(),
              "The role switch of " + t.target(), null).orElseThrow(() -> {
                Optional<LeaseStore.Holder> holder = side.leases().holder(Lease.importOf(t.target()));
                return new FanoutException("Table " + t.target() + " on " + side.name() + " is locked by "
                    + holder.map(LeaseStore.Holder::holder).orElse("someone") + " (an import, or another failover"
                    + " of these tables, is under way); retry when it is done ("
                    + holder.map(LeaseStore.Holder::runsOut).orElse("it has just ended") + ").");
              });
          held.add(lease);
          bySide.computeIfAbsent(side.name(), k -> new ArrayList<>()).add(lease);
        }
      }
      work.accept((side, unit) -> {
        for (HeldLease lease : bySide.getOrDefault(side.name(), List.of())) {
          lease.checkHeld(unit);
        }
      });
    } finally {
      held.forEach(HeldLease::close);
    }
  }

  /** The fencing check of a switch's commit on one side. */
  private interface SwitchLeases {
    void check(Instance side, UnitOfWork work);
  }

  private static TableFilter filterOf(List<ImportTable> tables) {
    return TableFilter.parse(String.join(";", tables.stream().map(t -> t.target().toString()).toList()));
  }

  private static String key(List<ImportTable> tables) {
    return String.join(",", tables.stream().map(t -> t.target().toString()).sorted().toList());
  }

  private static String watermark(ImportTable t) {
    return t.incrColumn() == null || !t.isIncremental() ? "" : " (watermark " + t.incrColumn() + " = "
        + (t.incrMaxValue() == null ? "none yet" : t.incrMaxValue()) + ")";
  }
}
