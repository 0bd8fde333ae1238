package dev.fanout.status;

import dev.fanout.metadata.ImportStatistics;
import dev.fanout.metadata.TableName;
import dev.fanout.replication.CopyJob;
import dev.fanout.verify.VerifyResult;
import java.util.List;

/** What happened to one table, newest first: its imports, its copy jobs, its verifies. */
public record TableHistory(TableName table, List<ImportStatistics> imports, List<CopyJob> copies,
    List<VerifyResult> verifies) {

  public boolean empty() {
    return imports.isEmpty() && copies.isEmpty() && verifies.isEmpty();
  }
}
