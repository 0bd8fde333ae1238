package dev.fanout.source;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A source table with its exact (case-preserved) schema and table names and its columns in order. */
public record SourceTable(String schema, String table, List<SourceColumn> columns) {
  public SourceTable {
    columns = List.copyOf(columns);
  }

  public Optional<SourceColumn> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst()
        .or(() -> columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst());
  }

  public List<String> primaryKey() {
    return columns.stream().filter(c -> c.primaryKeyPosition() > 0)
        .sorted(Comparator.comparingInt(SourceColumn::primaryKeyPosition)).map(SourceColumn::name).toList();
  }

  public String qualifiedName() {
    return schema == null || schema.isEmpty() ? table : schema + "." + table;
  }
}
