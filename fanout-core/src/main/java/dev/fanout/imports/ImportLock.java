package dev.fanout.imports;

import dev.fanout.util.LeaseHeartbeat;
import dev.fanout.util.LeaseOwners;
import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.ImportTableRepository;
import java.time.Duration;

/**
 * A table's import lock: a lease in {@code import_tables}, renewed while the import runs. If the
 * process dies, the lease runs out and the next import takes over, so a crash never locks a table for good.
 */
final class ImportLock implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(60);
  private final ImportTableRepository tables;
  private final long tableId;
  private final String owner;
  private final LeaseHeartbeat heartbeat;

  private ImportLock(ImportTableRepository tables, long tableId, String owner) {
    this.tables = tables;
    this.tableId = tableId;
    this.owner = owner;
    this.heartbeat = new LeaseHeartbeat("fanout-import-lock", LEASE, () -> tables.tryLock(tableId, owner, LEASE));
  }

  static ImportLock acquire(ImportTableRepository tables, ImportTable table) {
    String owner = LeaseOwners.newOwner();
    if (!tables.tryLock(table.id(), owner, LEASE)) {
      String holder = tables.lockHolder(table.id()).orElse("another import");
      if (LeaseOwners.diedOnThisHost(holder) && tables.takeOver(table.id(), holder, owner, LEASE)) {
        return new ImportLock(tables, table.id(), owner);
      }
      throw new FanoutException("Table " + table.target() + " is being imported by " + holder
          + "; wait for it to finish (a crashed import releases the lock within " + LEASE.toSeconds() + " s).");
    }
    return new ImportLock(tables, table.id(), owner);
  }

  @Override
  public void close() {
    heartbeat.close();
    tables.unlock(tableId, owner);
  }
}
