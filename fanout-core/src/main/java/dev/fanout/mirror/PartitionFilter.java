package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * {@code --partition 'col=value,...'}: the files of a sync narrowed to the partitions where every named
 * column has that value. Each column must be the source of a partition field, so that whole files are
 * in or out; a file of a spec that cannot tell (an unpartitioned delete file of a partitioned table)
 * makes the filtered sync fail rather than guess.
 */
final class PartitionFilter {
  private final String text;
  private final Expression expression;
  private final Map<Integer, Evaluator> evaluators = new LinkedHashMap<>();
  private final Map<Integer, PartitionSpec> specs;

  private PartitionFilter(String text, Expression expression, Map<Integer, PartitionSpec> specs) {
    this.text = text;
    this.expression = expression;
    this.specs = specs;
  }

  static PartitionFilter parse(String text, Table table) {
    Schema schema = table.schema();
    List<Expression> terms = new ArrayList<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new FanoutException("Partition filter '" + text + "' is not of the form col=value,...");
      }
      String column = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      Types.NestedField field = schema.caseInsensitiveFindField(column);
      if (field == null) {
        throw new FanoutException("Partition filter '" + text + "' names an unknown column " + column + " of "
            + table.name() + " (its columns: " + columnNames(schema) + ").");
      }
      if (!isPartitionSource(table, field.fieldId())) {
        throw new FanoutException("Column " + field.name() + " is not a partition column of " + table.name()
            + " (partitioned by: " + table.spec().fields() + ").");
      }
      Object literal;
      try {
        literal = Conversions.fromPartitionString(field.type(), value);
      } catch (RuntimeException e) {
        throw new FanoutException("Partition filter value '" + value + "' is not a valid " + field.type()
            + " for column " + field.name() + ".");
      }
      terms.add(literal == null ? Expressions.isNull(field.name()) : Expressions.equal(field.name(), literal));
    }
    Expression all = terms.stream().reduce(Expressions.alwaysTrue(), Expressions::and);
    return new PartitionFilter(text, all, table.specs());
  }

  String text() {
    return text;
  }

  /** True when every row of the file is in the filtered partitions; false when none is. */
  boolean matches(ContentFile<?> file) {
    PartitionSpec spec = specs.get(file.specId());
    if (spec == null || spec.isUnpartitioned()) {
      throw new FanoutException("File " + file.location() + " is not partitioned, so a sync filtered by '"
          + text + "' cannot tell whether it belongs; sync the table without --partition.");
    }
    Evaluator evaluator = evaluators.computeIfAbsent(spec.specId(),
        id -> new Evaluator(spec.partitionType(), Projections.inclusive(spec, false).project(expression), false));
    return evaluator.eval(file.partition());
  }

  private static boolean isPartitionSource(Table table, int fieldId) {
    for (PartitionSpec spec : table.specs().values()) {
      for (PartitionField f : spec.fields()) {
        if (f.sourceId() == fieldId && f.transform().isIdentity()) {
          return true;
        }
      }
    }
    return false;
  }

  private static String columnNames(Schema schema) {
    return String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList());
  }
}
