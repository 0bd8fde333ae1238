package dev.fanout.replication;

import dev.fanout.failure.FanoutException;
import dev.fanout.instance.Instance;
import dev.fanout.metadata.ImportColumn;
import dev.fanout.metadata.ImportTable;
import dev.fanout.metadata.SourceConnection;
import dev.fanout.metadata.StagedImport;
import dev.fanout.metadata.UnitOfWork;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * What this instance writes to a remote instance's metadata database: the configuration of a copied
 * table ({@code copy_slave = 1}), the staged import the remote should load, and {@code copy_finished},
 * all in one transaction there, after the data is in place.
 */
public final class RemotePublisher {
  private RemotePublisher() {}

  /** One table's configuration as a remote stores it: its connection, its {@code import_tables} row, its columns. */
  public record TableConfiguration(SourceConnection connection, ImportTable table, List<ImportColumn> columns) {}

  /**
   * Publishes one staged import that is already complete on the remote's cluster: connection, table,
   * columns, the staged import to load, and {@code copy_finished}, in one transaction; {@code fence}
   * runs first in it (the copy's lease check).
   */
  public static void publish(Instance remote, TableConfiguration config, StagedImport staged, Instant copyFinished,
      Consumer<UnitOfWork> fence) {
    try {
      remote.inTransaction("writing the metadata of " + config.table().target(), work -> {
        fence.accept(work);
        long remoteId = write(work, config, true);
        if (work.stagedImports().find(staged.importId()).isEmpty()) {
          work.stagedImports().record(new StagedImport(staged.importId(), remoteId, staged.stagingPath(),
              StagedImport.State.STAGED, staged.importType(), staged.incrMinValue(), staged.incrMaxValue(),
              staged.sourceRows(), staged.stagedRows(), staged.stagedBytes(), staged.created()));
        }
        work.tables().markCopyFinished(remoteId, copyFinished);
        return null;
      });
    } catch (FanoutException e) {
      throw new FanoutException("Writing the metadata of " + config.table().target() + " to instance '"
          + remote.name() + "' failed: " + e.getMessage(), e);
    }
  }

  /**
   * Publishes the configuration of tables without data (no staged import; {@code copy_finished} and the
   * watermark untouched), then {@code alsoInTransaction} (e.g. a DAG definition), all in one transaction,
   * so the remote sees all or none.
   */
  public static void publishConfiguration(Instance remote, List<TableConfiguration> tables, boolean copySlave,
      Consumer<UnitOfWork> alsoInTransaction) {
    try {
      remote.inTransaction("writing the configuration of " + tables.size() + " table(s)", work -> {
        for (TableConfiguration t : tables) {
          write(work, t, copySlave);
        }
        alsoInTransaction.accept(work);
        return null;
      });
    } catch (FanoutException e) {
      throw new FanoutException("Writing the configuration of " + tables.size() + " table(s) to instance '"
          + remote.name() + "' failed: " + e.getMessage(), e);
    }
  }

  private static long write(UnitOfWork work, TableConfiguration t, boolean copySlave) {
    work.connections().upsert(t.connection());
    long remoteId = work.tables().upsertCopy(t.table(), copySlave);
    work.tables().replaceColumns(remoteId, t.columns());
    return remoteId;
  }
}
