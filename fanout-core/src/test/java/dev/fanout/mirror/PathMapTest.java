package dev.fanout.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.failure.NeedsPersonException;
import org.junit.jupiter.api.Test;

/** Where a mirrored file lands, whichever way a writer spelled the table's location and the file's path. */
class PathMapTest {
  @Test
  void aLocalFileSpelledWithOneSlashOrThreeIsUnderTheSameLocation() {
    PathMap map = new PathMap("file:///lake/hist/visits", "hdfs://b/warehouse/hist/visits");
    assertThat(map.target("file:/lake/hist/visits/data/a.parquet")).isEqualTo("hdfs://b/warehouse/hist/visits/data/a.parquet");
    assertThat(map.target("file:///lake/hist/visits/data/b.parquet")).isEqualTo("hdfs://b/warehouse/hist/visits/data/b.parquet");
  }

  @Test
  void aFileBesideTheLocationIsStillRefused() {
    PathMap map = new PathMap("file:///lake/hist/visits", "hdfs://b/warehouse/hist/visits");
    assertThatThrownBy(() -> map.target("file:/lake/hist/visits2/data/a.parquet"))
        .isInstanceOf(NeedsPersonException.class).hasMessageContaining("outside the table's location");
    assertThatThrownBy(() -> map.target("file:///lake/hist/visits/../other/a.parquet"))
        .hasMessageContaining("'.' or '..' segments");
  }
}
