package dev.fanout.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One column of the staged schema: its Iceberg field id, name and lake type, and the Spark type that holds
 * it. Only the flat primitive types Fanout stages; a lake {@code time} has no Spark type, so a table with
 * one stays on the local engine.
 *
 * @param icebergType the lake type as Iceberg's schema JSON spells it ("long", "decimal(10, 2)", "timestamptz")
 */
record LakeColumn(int fieldId, String name, String icebergType, DataType sparkType) {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  /** The columns of an Iceberg schema JSON ({@code SchemaParser.toJson}), in order. */
  static List<LakeColumn> parse(String schemaJson) {
    JsonNode schema;
    try {
      schema = new ObjectMapper().readTree(schemaJson);
    } catch (IOException e) {
      throw new UncheckedIOException("the staged schema is not JSON", e);
    }
    List<LakeColumn> out = new ArrayList<>();
    for (JsonNode f : schema.path("fields")) {
      String name = f.path("name").asText();
      JsonNode type = f.path("type");
      if (!type.isTextual()) {
        throw new IllegalArgumentException("Column " + name + " is a nested type, which the Spark engine does not stage.");
      }
      out.add(new LakeColumn(f.path("id").asInt(), name, type.asText(), sparkType(name, type.asText())));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the staged schema has no columns");
    }
    return out;
  }

  private static DataType sparkType(String column, String type) {
    String t = type.toLowerCase(Locale.ROOT);
    Matcher decimal = DECIMAL.matcher(t);
    if (decimal.matches()) {
      return DataTypes.createDecimalType(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    switch (t) {
      case "boolean":
        return DataTypes.BooleanType;
      case "int":
        return DataTypes.IntegerType;
      case "long":
        return DataTypes.LongType;
      case "float":
        return DataTypes.FloatType;
      case "double":
        return DataTypes.DoubleType;
      case "string":
        return DataTypes.StringType;
      case "binary":
        return DataTypes.BinaryType;
      case "date":
        return DataTypes.DateType;
      case "timestamp":
        // a wall-clock time: Spark's TIMESTAMP_NTZ, written as Parquet TIMESTAMP(MICROS, isAdjustedToUTC=false)
        return DataTypes.TimestampNTZType;
      case "timestamptz":
        // an instant: Spark's TIMESTAMP, written as Parquet TIMESTAMP(MICROS, isAdjustedToUTC=true)
        return DataTypes.TimestampType;
      default:
        throw new IllegalArgumentException("Column " + column + " has lake type " + type
            + ", which Spark cannot write as Iceberg reads it; stage this table with --engine local.");
    }
  }

  /** The column as Spark's SQL parser reads it in a {@code customSchema}: quoted name and read type. */
  String ddl(boolean numericBooleans) {
    return "`" + name.replace("`", "``") + "` " + readType(numericBooleans).sql();
  }

  /**
   * The type Spark's JDBC reader reads the column as. With {@code numericBooleans} (MariaDB and MySQL, whose
   * BOOLEAN is TINYINT(1)) a boolean is read as a number, and the job checks that it is 0 or 1, as Fanout's
   * local engine does, instead of letting getBoolean turn 5 into true.
   */
  DataType readType(boolean numericBooleans) {
    return sparkType == DataTypes.BooleanType && numericBooleans ? DataTypes.IntegerType : sparkType;
  }
}
