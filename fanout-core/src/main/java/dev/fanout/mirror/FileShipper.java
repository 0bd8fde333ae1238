package dev.fanout.mirror;

import dev.fanout.copy.Copier;
import dev.fanout.copy.CopyResult;
import dev.fanout.copy.FileCopy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;

/**
 * Puts the files of a sync on the destination cluster before anything is committed there: data and
 * equality delete files byte for byte through the copier (verified, resumable: files already in place
 * are skipped), position delete files rewritten. Returns each file as the destination table will know it.
 */
final class FileShipper {
  private final Copier copier;
  private final FileSystem sourceFs;
  private final FileSystem targetFs;
  private final PathMap paths;
  private final PositionDeleteRewriter positionDeletes;
  private final Table target;

  FileShipper(Copier copier, FileSystem sourceFs, FileSystem targetFs, PathMap paths, Table source, Table target) {
    this.copier = copier;
    this.sourceFs = sourceFs;
    this.targetFs = targetFs;
    this.paths = paths;
    this.target = target;
    this.positionDeletes = new PositionDeleteRewriter(source.io(), target.io(), paths);
  }

  /** What shipping did, and the destination's version of every shipped file, by source location. */
  record Shipped(Map<String, ContentFile<?>> files, CopyResult copy) {}

  Shipped ship(Collection<ContentFile<?>> files, LiveFiles targetLive) {
    Map<String, ContentFile<?>> out = new HashMap<>();
    List<FileCopy> copies = new ArrayList<>();
    List<ContentFile<?>> copied = new ArrayList<>();
    for (ContentFile<?> f : files) {
      String to = paths.target(f.location());
      if (f.content() == FileContent.POSITION_DELETES) {
        DeleteFile there = targetLive.deletes().get(to);
        if (there != null) {
          // rewritten by an earlier sync; built anew so that it takes the new commit's sequence number
          out.put(f.location(), FileMetadata.deleteFileBuilder(spec(there)).copy(there).build());
        } else {
          Optional<DeleteFile> written = positionDeletes.rewrite((DeleteFile) f, spec(f));
          written.ifPresent(d -> out.put(f.location(), d));
        }
      } else {
        copies.add(new FileCopy(new Path(f.location()), new Path(to), f.fileSizeInBytes(), null));
        copied.add(f);
      }
    }
    CopyResult result = copies.isEmpty() ? CopyResult.NONE : copier.copy(sourceFs, targetFs, copies);
    for (ContentFile<?> f : copied) {
      out.put(f.location(), relocated(f));
    }
    return new Shipped(out, result);
  }

  private ContentFile<?> relocated(ContentFile<?> f) {
    String to = paths.target(f.location());
    if (f instanceof DataFile d) {
      return DataFiles.builder(spec(f)).copy(d).withPath(to).build();
    }
    DeleteFile d = (DeleteFile) f;
    // the builder's copy leaves out the equality field ids
    return FileMetadata.deleteFileBuilder(spec(f)).copy(d).withPath(to)
        .ofEqualityDeletes(d.equalityFieldIds().stream().mapToInt(Integer::intValue).toArray()).build();
  }

  private PartitionSpec spec(ContentFile<?> f) {
    return target.specs().get(f.specId());
  }
}
