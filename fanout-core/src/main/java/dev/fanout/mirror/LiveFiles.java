package dev.fanout.mirror;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/** The data and delete files a table's current snapshot holds, by location. */
final class LiveFiles {
  private final Map<String, DataFile> data;
  private final Map<String, DeleteFile> deletes;

  private LiveFiles(Map<String, DataFile> data, Map<String, DeleteFile> deletes) {
    this.data = data;
    this.deletes = deletes;
  }

  static LiveFiles empty() {
    return new LiveFiles(new LinkedHashMap<>(), new LinkedHashMap<>());
  }

  static LiveFiles of(Table table) {
    LiveFiles live = empty();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return live;
    }
    try {
      for (ManifestFile manifest : current.allManifests(table.io())) {
        if (manifest.content() == ManifestContent.DATA) {
          try (ManifestReader<DataFile> reader = ManifestFiles.read(manifest, table.io(), table.specs())) {
            reader.forEach(f -> live.data.put(f.location(), f.copy()));
          }
        } else {
          try (ManifestReader<DeleteFile> reader =
              ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            reader.forEach(f -> live.deletes.put(f.location(), f.copy()));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new FanoutException("Cannot list the files of " + table.name() + ": " + e.getMessage(), e);
    }
    return live;
  }

  Map<String, DataFile> data() {
    return data;
  }

  Map<String, DeleteFile> deletes() {
    return deletes;
  }

  void remove(ContentFile<?> file) {
    data.remove(file.location());
    deletes.remove(file.location());
  }
}
