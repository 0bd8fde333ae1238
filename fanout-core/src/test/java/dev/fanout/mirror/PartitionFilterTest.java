package dev.fanout.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.FanoutException;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code fanout sync --partition 'col=value,...'}: which files of a table a filtered sync takes. */
class PartitionFilterTest {
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "region", Types.StringType.get()),
      Types.NestedField.optional(3, "day", Types.DateType.get()),
      Types.NestedField.optional(4, "amount", Types.IntegerType.get()));
  private Table table;

  /** shop.sales, unpartitioned at first (spec 0), then partitioned by region, day and bucket(id) (spec 1). */
  @BeforeEach
  void createTable() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("lake", Map.of());
    catalog.createNamespace(Namespace.of("shop"));
    table = catalog.createTable(TableIdentifier.of("shop", "sales"), SCHEMA, PartitionSpec.unpartitioned());
    table.updateSpec().addField("region").addField("day").addField("id_bucket", org.apache.iceberg.expressions.Expressions.bucket("id", 4))
        .commit();
  }

  private DataFile file(String partitionPath) {
    return DataFiles.builder(table.spec()).withPath("/lake/shop/sales/data/" + partitionPath + "/f.parquet")
        .withFileSizeInBytes(100).withRecordCount(1).withPartitionPath(partitionPath).build();
  }

  private boolean takes(String filter, String partitionPath) {
    return PartitionFilter.parse(filter, table).matches(file(partitionPath));
  }

  @Test
  void aFilterTakesTheFilesOfThatPartitionOnly() {
    assertThat(takes("region=eu", "region=eu/day=2024-01-01/id_bucket=0")).isTrue();
    assertThat(takes("region=eu", "region=eu/day=2024-01-02/id_bucket=3")).isTrue();
    assertThat(takes("region=eu", "region=us/day=2024-01-01/id_bucket=0")).isFalse();
  }

  @Test
  void everyNamedColumnMustHaveItsValue() {
    String filter = "region=eu, day=2024-01-01";
    assertThat(takes(filter, "region=eu/day=2024-01-01/id_bucket=1")).isTrue();
    assertThat(takes(filter, "region=eu/day=2024-01-02/id_bucket=1")).isFalse();
    assertThat(takes(filter, "region=us/day=2024-01-01/id_bucket=1")).isFalse();
  }

  @Test
  void columnNamesIgnoreCaseAndHivesNullValueSelectsTheNullPartition() {
    assertThat(takes("REGION=eu", "region=eu/day=2024-01-01/id_bucket=0")).isTrue();
    assertThat(takes("region=__HIVE_DEFAULT_PARTITION__", "region=__HIVE_DEFAULT_PARTITION__/day=2024-01-01/id_bucket=0"))
        .isTrue();
    assertThat(takes("region=__HIVE_DEFAULT_PARTITION__", "region=eu/day=2024-01-01/id_bucket=0")).isFalse();
  }

  @Test
  void aFileWrittenBeforeTheTableWasPartitionedCannotBeToldApart() {
    DataFile old = DataFiles.builder(table.specs().get(0)).withPath("/lake/shop/sales/data/old.parquet")
        .withFileSizeInBytes(100).withRecordCount(1).build();
    PartitionFilter filter = PartitionFilter.parse("region=eu", table);
    assertThatThrownBy(() -> filter.matches(old)).isInstanceOf(FanoutException.class)
        .hasMessageContaining("File /lake/shop/sales/data/old.parquet is not partitioned")
        .hasMessageContaining("sync the table without --partition");
  }

  @Test
  void aFilterNamingAnUnknownColumnListsTheTablesColumns() {
    assertThatThrownBy(() -> PartitionFilter.parse("colour=red", table)).isInstanceOf(FanoutException.class)
        .hasMessageContaining("names an unknown column colour").hasMessageContaining("id, region, day, amount");
  }

  @Test
  void onlyColumnsThatAreIdentityPartitionsCanFilter() {
    assertThatThrownBy(() -> PartitionFilter.parse("amount=5", table))
        .hasMessageContaining("Column amount is not a partition column of");
    assertThatThrownBy(() -> PartitionFilter.parse("region=eu,id=7", table))
        .as("bucket(id) does not tell which file holds id 7").hasMessageContaining("Column id is not a partition column");
  }

  @Test
  void aValueThatIsNotOfTheColumnsTypeOrAFilterWithoutEqualsIsRefused() {
    assertThatThrownBy(() -> PartitionFilter.parse("day=yesterday", table))
        .hasMessage("Partition filter value 'yesterday' is not a valid date for column day.");
    assertThatThrownBy(() -> PartitionFilter.parse("region", table))
        .hasMessage("Partition filter 'region' is not of the form col=value,...");
    assertThatThrownBy(() -> PartitionFilter.parse("=eu", table)).hasMessageContaining("is not of the form col=value");
  }
}
