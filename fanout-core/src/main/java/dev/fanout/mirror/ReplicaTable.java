package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.TableName;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The destination table of a sync: made with the source's very field ids, partition spec ids and sort
 * orders (data files name columns and specs by id, so a fresh assignment would misread them), and kept
 * in step when the source's schema, specs or properties change.
 */
final class ReplicaTable {
  /** Table property: the UUID of the source table this table is a replica of. */
  static final String REPLICA_OF = "fanout.replica-of";
  // properties that name places on the source cluster, not table behaviour
  private static final Set<String> LOCAL_PROPERTIES = Set.of("write.data.path", "write.metadata.path",
      "write.folder-storage.path", "write.object-storage.path", "location");

  private ReplicaTable() {}

  static TableMetadata metadata(Table table) {
    return ((HasTableOperations) table).operations().current();
  }

  /** Creates the destination table, with no snapshot yet, where the destination's catalog puts new tables. */
  static Table create(LakeCatalog catalog, TableName name, Table source) {
    TableMetadata src = metadata(source);
    catalog.ensureNamespace(name.db());
    TableIdentifier id = LakeCatalog.identifier(name);
    String location = catalog.defaultLocation(name);
    TableMetadata.Builder b = TableMetadata.buildFromEmpty(src.formatVersion()).assignUUID().setLocation(location)
        .setCurrentSchema(src.schema(), src.lastColumnId());
    src.specs().stream().sorted(Comparator.comparingInt(PartitionSpec::specId)).forEach(b::addPartitionSpec);
    b.setDefaultPartitionSpec(src.defaultSpecId());
    b.addSortOrder(SortOrder.unsorted());
    src.sortOrders().stream().filter(o -> !o.isUnsorted()).sorted(Comparator.comparingInt(SortOrder::orderId))
        .forEach(b::addSortOrder);
    b.setDefaultSortOrder(src.defaultSortOrderId());
    b.setProperties(properties(src));
    TableMetadata created = b.build();
    requireSameIds(src, created, name);
    // written first and registered, since creating through the catalog would assign fresh ids
    String file = location + "/metadata/00000-" + UUID.randomUUID() + ".metadata.json";
    TableMetadataParser.overwrite(created, catalog.io().newOutputFile(file));
    return catalog.catalog().registerTable(id, file);
  }

  /** Brings the destination's schema, specs, sort orders and properties in line with the source's. */
  static void align(Table target, Table source, TableName name) {
    TableOperations ops = ((HasTableOperations) target).operations();
    TableMetadata base = ops.refresh();
    TableMetadata src = metadata(source);
    TableMetadata.Builder b = TableMetadata.buildFrom(base);
    boolean changed = false;
    if (!base.schema().sameSchema(src.schema()) || base.lastColumnId() < src.lastColumnId()) {
      b.setCurrentSchema(src.schema(), Math.max(src.lastColumnId(), base.lastColumnId()));
      changed = true;
    }
    for (PartitionSpec spec : src.specs().stream().sorted(Comparator.comparingInt(PartitionSpec::specId)).toList()) {
      if (!base.specsById().containsKey(spec.specId())) {
        b.addPartitionSpec(spec);
        changed = true;
      }
    }
    if (base.defaultSpecId() != src.defaultSpecId()) {
      b.setDefaultPartitionSpec(src.defaultSpecId());
      changed = true;
    }
    for (SortOrder order : src.sortOrders()) {
      if (!order.isUnsorted() && !base.sortOrdersById().containsKey(order.orderId())) {
        b.addSortOrder(order);
        changed = true;
      }
    }
    if (base.defaultSortOrderId() != src.defaultSortOrderId()) {
      b.setDefaultSortOrder(src.defaultSortOrderId());
      changed = true;
    }
    Map<String, String> wanted = properties(src);
    if (!wanted.equals(base.properties())) {
      Set<String> gone = new HashSet<>(base.properties().keySet());
      gone.removeAll(wanted.keySet());
      b.removeProperties(gone).setProperties(wanted);
      changed = true;
    }
    if (changed) {
      TableMetadata updated = b.build();
      requireSameIds(src, updated, name);
      ops.commit(base, updated);
      target.refresh();
    }
  }

  private static Map<String, String> properties(TableMetadata src) {
    Map<String, String> out = new HashMap<>();
    src.properties().forEach((k, v) -> {
      if (!LOCAL_PROPERTIES.contains(k)) {
        out.put(k, v);
      }
    });
    out.put(REPLICA_OF, src.uuid());
    return out;
  }

  /** Every source spec must exist under the same id with the same fields, or files would be misread. */
  private static void requireSameIds(TableMetadata src, TableMetadata target, TableName name) {
    for (PartitionSpec spec : src.specs()) {
      PartitionSpec there = target.specsById().get(spec.specId());
      if (there == null || !there.fields().equals(spec.fields())) {
        throw new FanoutException("The partition specs of " + name + " on the destination differ from the source's"
            + " (spec " + spec.specId() + "); sync it with --full --force to make it again.");
      }
    }
    if (!target.schema().sameSchema(src.schema())) {
      throw new FanoutException("The schema of " + name + " on the destination cannot take the source's field ids;"
          + " sync it with --full --force to make it again.");
    }
  }
}
