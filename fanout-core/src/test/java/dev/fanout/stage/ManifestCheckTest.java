package dev.fanout.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.NeedsPersonException;
import dev.fanout.metadata.TableName;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What makes a manifest one Fanout wrote for a given table and import: checked before any file it names is touched. */
class ManifestCheckTest {
  private static final TableName TABLE = TableName.parse("sales.orders");
  private static final String ID = "20261205T130248070Z-da4801";

  private static StageManifest manifest(String importId, String table, List<StagedFile> files) {
    long rows = files.stream().mapToLong(StagedFile::rowCount).sum();
    long bytes = files.stream().mapToLong(StagedFile::sizeBytes).sum();
    return new StageManifest(1, importId, table, "src:orders", "full", null, null, rows, rows, bytes, 2, "{}", files,
        Instant.EPOCH);
  }

  private static StagedFile file(String name) {
    return new StagedFile(name, 100, 10, "0a1b2c3d");
  }

  private static String problem(StageManifest m) {
    return ManifestCheck.problem(m, TABLE, ID);
  }

  @Test
  void aManifestAsTheStageWritesItPasses() {
    StageManifest m = manifest(ID, "sales.orders", List.of(file("part-00000-00000.parquet"), file("part-00001-00000.parquet")));
    assertThat(problem(m)).isNull();
    assertThat(ManifestCheck.require(m, TABLE, ID, new Path("/s/_manifest.json"))).isSameAs(m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../../fanout.key", "/etc/passwd", "sub/part.parquet", "..", ".hidden.parquet",
      "part..parquet", "file:part.parquet", "part parquet", "_manifest.json", "pärt.parquet", ""})
  void aFileNameThatIsNotABareNameOfTheDirectoryIsRefused(String name) {
    assertThat(problem(manifest(ID, "sales.orders", List.of(file(name)))))
        .isEqualTo("it names the file '" + name + "', which is not a bare file name of its staging directory");
  }

  @Test
  void anotherImportOrTableOrAForeignIdIsRefused() {
    assertThat(problem(manifest("20261205T130248070Z-ffffff", "sales.orders", List.of())))
        .isEqualTo("it belongs to import 20261205T130248070Z-ffffff");
    assertThat(problem(manifest("x/../y", "sales.orders", List.of()))).contains("does not have Fanout's form");
    assertThat(problem(manifest(ID, "hr.people", List.of()))).isEqualTo("it belongs to table hr.people");
  }

  @Test
  void figuresOutOfRangeOrThatDoNotAddUpAreRefused() {
    assertThat(problem(manifest(ID, "sales.orders", List.of(new StagedFile("a.parquet", -1, 10, "0a1b2c3d")))))
        .contains("has a size of -1 bytes");
    assertThat(problem(manifest(ID, "sales.orders", List.of(new StagedFile("a.parquet", 1, -5, "0a1b2c3d")))))
        .contains("-5 rows, out of range");
    assertThat(problem(manifest(ID, "sales.orders", List.of(new StagedFile("a.parquet", 1, 1, "zz")))))
        .contains("no CRC-32C");
    assertThat(problem(manifest(ID, "sales.orders", List.of(file("a.parquet"), file("a.parquet")))))
        .isEqualTo("it names the file a.parquet twice");
    StageManifest ok = manifest(ID, "sales.orders", List.of(file("a.parquet")));
    StageManifest grown = new StageManifest(1, ID, "sales.orders", "s", "full", null, null, 5, 5, 100, 1, "{}",
        ok.files(), Instant.EPOCH);
    assertThat(problem(grown)).isEqualTo("its files hold 10 rows and 100 bytes, but it says 5 rows and 100 bytes");
  }

  @Test
  void theRefusalIsOneSentenceNamingTheFile() {
    StageManifest m = manifest(ID, "sales.orders", List.of(file("../x")));
    assertThatThrownBy(() -> ManifestCheck.require(m, TABLE, ID, new Path("/c/.staging/sales/orders/" + ID + "/_manifest.json")))
        .isInstanceOf(NeedsPersonException.class)
        .hasMessage("The manifest /c/.staging/sales/orders/" + ID + "/_manifest.json is not one Fanout wrote for"
            + " sales.orders import " + ID + ": it names the file '../x', which is not a bare file name of its staging"
            + " directory; nothing was read, moved or deleted because of it.");
  }
}
