package dev.fanout.metadata;

import dev.fanout.failure.BadInputException;
import dev.fanout.metadata.StageEngine;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * An {@code import_tables} row: which source table lands as which lake table, and how. Immutable; use
 * {@link #builder()} to create one and {@link #toBuilder()} to derive a changed copy.
 *
 * @param stageEngine the engine of the stage step ({@code stage_engine}); null: the instance's default
 * @param deletes what a merge does with keys that left the source ({@code merge_deletes})
 * @param history whether imports keep a {@code <table>_history} audit table ({@code history_table})
 * @param timeAs how a source TIME column lands ({@code time_as})
 */
public record ImportTable(
    long id,
    TableName target,
    String connection,
    String sourceSchema,
    String sourceTable,
    ImportType importType,
    EtlMode etlMode,
    IncrMode incrMode,
    String incrColumn,
    String incrMaxValue,
    List<String> primaryKeyOverride,
    String splitBy,
    int sessions,
    long validateDiffAllowed,
    boolean copySlave,
    Instant copyFinished,
    Long sourceRowCount,
    Long lakeRowCount,
    String lastImportId,
    StageEngine stageEngine,
    MergeDeletes deletes,
    boolean history,
    TimeAs timeAs) {

  public ImportTable {
    primaryKeyOverride = primaryKeyOverride == null ? List.of() : List.copyOf(primaryKeyOverride);
    deletes = deletes == null ? MergeDeletes.NONE : deletes;
    timeAs = timeAs == null ? TimeAs.STRING : timeAs;
  }

  /** The source table as {@code schema.table}, for messages. */
  public String sourceName() {
    return sourceSchema == null || sourceSchema.isEmpty() ? sourceTable : sourceSchema + "." + sourceTable;
  }

  public boolean isIncremental() {
    return importType == ImportType.INCR;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.target = target;
    b.connection = connection;
    b.sourceSchema = sourceSchema;
    b.sourceTable = sourceTable;
    b.importType = importType;
    b.etlMode = etlMode;
    b.incrMode = incrMode;
    b.incrColumn = incrColumn;
    b.incrMaxValue = incrMaxValue;
    b.primaryKeyOverride = primaryKeyOverride;
    b.splitBy = splitBy;
    b.sessions = sessions;
    b.validateDiffAllowed = validateDiffAllowed;
    b.copySlave = copySlave;
    b.copyFinished = copyFinished;
    b.sourceRowCount = sourceRowCount;
    b.lakeRowCount = lakeRowCount;
    b.lastImportId = lastImportId;
    b.stageEngine = stageEngine;
    b.deletes = deletes;
    b.history = history;
    b.timeAs = timeAs;
    return b;
  }

  public static final class Builder {
    private long id;
    private TableName target;
    private String connection;
    private String sourceSchema;
    private String sourceTable;
    private ImportType importType = ImportType.FULL;
    private EtlMode etlMode = EtlMode.TRUNCATE_INSERT;
    private IncrMode incrMode;
    private String incrColumn;
    private String incrMaxValue;
    private List<String> primaryKeyOverride = List.of();
    private String splitBy;
    private int sessions = 1;
    private long validateDiffAllowed;
    private boolean copySlave;
    private Instant copyFinished;
    private Long sourceRowCount;
    private Long lakeRowCount;
    private String lastImportId;
    private StageEngine stageEngine;
    private MergeDeletes deletes = MergeDeletes.NONE;
    private boolean history;
    private TimeAs timeAs = TimeAs.STRING;

    public Builder id(long v) { id = v; return this; }
    public Builder target(TableName v) { target = v; return this; }
    public Builder connection(String v) { connection = v; return this; }
    public Builder sourceSchema(String v) { sourceSchema = v; return this; }
    public Builder sourceTable(String v) { sourceTable = v; return this; }
    public Builder importType(ImportType v) { importType = v; return this; }
    public Builder etlMode(EtlMode v) { etlMode = v; return this; }
    public Builder incrMode(IncrMode v) { incrMode = v; return this; }
    public Builder incrColumn(String v) { incrColumn = v; return this; }
    public Builder incrMaxValue(String v) { incrMaxValue = v; return this; }
    public Builder primaryKeyOverride(List<String> v) { primaryKeyOverride = v; return this; }
    public Builder splitBy(String v) { splitBy = v; return this; }
    public Builder sessions(int v) { sessions = v; return this; }
    public Builder validateDiffAllowed(long v) { validateDiffAllowed = v; return this; }
    public Builder copySlave(boolean v) { copySlave = v; return this; }
    public Builder copyFinished(Instant v) { copyFinished = v; return this; }
    public Builder sourceRowCount(Long v) { sourceRowCount = v; return this; }
    public Builder lakeRowCount(Long v) { lakeRowCount = v; return this; }
    public Builder lastImportId(String v) { lastImportId = v; return this; }
    /** The table's stage engine; null follows the instance's default. */
    public Builder stageEngine(StageEngine v) { stageEngine = v; return this; }
    public Builder deletes(MergeDeletes v) { deletes = v; return this; }
    public Builder history(boolean v) { history = v; return this; }
    public Builder timeAs(TimeAs v) { timeAs = v; return this; }

    public Builder primaryKeyOverride(String commaSeparated) {
      primaryKeyOverride = commaSeparated == null || commaSeparated.isBlank()
          ? List.of()
          : Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      return this;
    }

    /** Checks that the combination of modes makes sense: a bad one is a bad command line (exit 2), one sentence. */
    public ImportTable build() {
      if (target == null || connection == null || sourceTable == null) {
        throw new IllegalStateException("target, connection and source table are required");
      }
      if (sessions < 1) {
        throw new BadInputException("--sessions must be at least 1, not " + sessions + ".");
      }
      if (importType == ImportType.INCR) {
        if (incrColumn == null || incrColumn.isBlank()) {
          throw new BadInputException("An incremental import of " + target + " needs --incr-column.");
        }
        if (incrMode == null) {
          incrMode = IncrMode.APPEND;
        }
        if (incrMode == IncrMode.LASTMODIFIED && etlMode != EtlMode.MERGE) {
          throw new BadInputException("A lastmodified import of " + target
              + " must merge changed rows: use --etl merge with it.");
        }
        if (etlMode == EtlMode.TRUNCATE_INSERT) {
          throw new BadInputException("An incremental import of " + target
              + " cannot use truncate_insert (it would keep only the last increment): use --etl insert or merge.");
        }
      } else if (incrMode != null || incrColumn != null) {
        throw new BadInputException("--incr-mode and --incr-column apply only to --import incr.");
      }
      if ((deletes != MergeDeletes.NONE || history) && etlMode != EtlMode.MERGE) {
        throw new BadInputException("--deletes and --history of " + target + " work with a merge: add --etl merge.");
      }
      return new ImportTable(id, target, connection, sourceSchema, sourceTable, importType, etlMode, incrMode,
          incrColumn, incrMaxValue, primaryKeyOverride, splitBy, sessions, validateDiffAllowed, copySlave,
          copyFinished, sourceRowCount, lakeRowCount, lastImportId, stageEngine, deletes, history, timeAs);
    }
  }
}
