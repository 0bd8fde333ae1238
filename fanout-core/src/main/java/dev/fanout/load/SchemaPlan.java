package dev.fanout.load;

import dev.fanout.failure.FanoutException;
import dev.fanout.metadata.TableName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * The schema staged files are written with, decided before the read: existing columns keep their
 * Iceberg field ids, new source columns get the next ids, and allowed widenings (int to long, float to
 * double, wider decimals) are applied. The same plan is replayed inside the load's transaction, so a
 * reader sees the new columns and the new rows in one commit. Columns dropped at the source stay in the
 * lake table and are NULL in new rows.
 */
public final class SchemaPlan {
  private final Schema staged;
  private final Map<String, Type> additions;
  private final Map<String, Type> promotions;

  private SchemaPlan(Schema staged, Map<String, Type> additions, Map<String, Type> promotions) {
    this.staged = staged;
    this.additions = additions;
    this.promotions = promotions;
  }

  /** @param columns the included source columns in order, with their lake types */
  public static SchemaPlan of(TableName name, Table existing, LinkedHashMap<String, Type> columns) {
    List<Types.NestedField> fields = new ArrayList<>();
    Map<String, Type> additions = new LinkedHashMap<>();
    Map<String, Type> promotions = new LinkedHashMap<>();
    if (existing == null) {
      int id = 1;
      for (Map.Entry<String, Type> c : columns.entrySet()) {
        fields.add(Types.NestedField.optional(id++, c.getKey(), c.getValue()));
      }
      return new SchemaPlan(new Schema(fields), additions, promotions);
    }
    Schema current = existing.schema();
    int nextId = current.highestFieldId() + 1;
    for (Map.Entry<String, Type> c : columns.entrySet()) {
      Types.NestedField field = current.caseInsensitiveFindField(c.getKey());
      if (field == null) {
        fields.add(Types.NestedField.optional(nextId++, c.getKey(), c.getValue()));
        additions.put(c.getKey(), c.getValue());
      } else if (field.type().equals(c.getValue())) {
        fields.add(field);
      } else if (field.type().isPrimitiveType() && c.getValue().isPrimitiveType()
          && TypeUtil.isPromotionAllowed(field.type(), c.getValue().asPrimitiveType())) {
        fields.add(Types.NestedField.optional(field.fieldId(), field.name(), c.getValue()));
        promotions.put(field.name(), c.getValue());
      } else {
        throw new FanoutException("Column " + c.getKey() + " of " + name + " changed type at the source from "
            + field.type() + " to " + c.getValue() + ", which the lake table cannot widen to; cast it back in a view,"
            + " or drop and re-import the table.");
      }
    }
    return new SchemaPlan(new Schema(fields), additions, promotions);
  }

  public Schema stagedSchema() {
    return staged;
  }

  public boolean changesTable() {
    return !additions.isEmpty() || !promotions.isEmpty();
  }

  /** Applies the additions and widenings to an update of the table, in the load's transaction. */
  public void apply(UpdateSchema update) {
    additions.forEach(update::addColumn);
    promotions.forEach((col, type) -> update.updateColumn(col, type.asPrimitiveType()));
  }

  /** Checks that the table's schema gives each staged column the field id its files were written with. */
  public static void checkIds(TableName name, Schema stagedSchema, Schema tableSchema) {
    for (Types.NestedField f : stagedSchema.columns()) {
      Types.NestedField t = tableSchema.findField(f.fieldId());
      if (t == null || !t.name().equals(f.name()) || !t.type().equals(f.type())) {
        throw new FanoutException("The schema of " + name + " changed while this import ran (column " + f.name()
            + "); run the import again.");
      }
    }
  }
}
