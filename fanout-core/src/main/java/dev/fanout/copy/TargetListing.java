package dev.fanout.copy;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What is already at the destination of a copy, read with one listing per target directory rather than
 * one call per file (on HDFS every call is a NameNode round trip, on S3 an HTTP request). Creating the
 * directories and removing temporary files left by an earlier, interrupted copy happen here too.
 */
final class TargetListing {
  private final Map<Path, Long> lengths;

  private TargetListing(Map<Path, Long> lengths) {
    this.lengths = lengths;
  }

  /** Creates every target directory and lists it; a failure names the directory that cannot be used. */
  static TargetListing prepare(FileSystem to, List<FileCopy> files) {
    Map<Path, Long> lengths = new HashMap<>();
    Set<Path> temporary = new HashSet<>();
    for (Path dir : files.stream().map(f -> f.target().getParent()).distinct().toList()) {
      try {
        if (!to.mkdirs(dir)) {
          throw new IOException("mkdirs returned false");
        }
        for (FileStatus st : to.listStatus(dir)) {
          Path path = key(st.getPath());
          if (!st.isFile()) {
            continue;
          }
          if (FileCopy.isTemporaryName(path.getName())) {
            temporary.add(path);
          } else {
            lengths.put(path, st.getLen());
          }
        }
      } catch (IOException e) {
        throw new CopyException(null, to.makeQualified(dir), "cannot create or list the directory ("
            + Failures.describe(e) + ")", e);
      }
    }
    TargetListing listing = new TargetListing(lengths);
    for (FileCopy f : files) {
      // a temporary file next to a file in place is garbage of a crash between copy and cleanup;
      // one next to a missing file is overwritten by the copy that follows
      Path tmp = key(f.temporaryTarget());
      if (temporary.contains(tmp) && listing.inPlace(f)) {
        Failures.deleteQuietly(to, f.temporaryTarget());
      }
    }
    return listing;
  }

  /** The target exists with the expected length: a verified copy put it there, so it is skipped. */
  boolean inPlace(FileCopy f) {
    Long length = lengths.get(key(f.target()));
    return length != null && length == f.length();
  }

  /** The target exists with another length: it is not a copy of this source and is replaced. */
  boolean occupiedByAnother(FileCopy f) {
    Long length = lengths.get(key(f.target()));
    return length != null && length != f.length();
  }

  private static Path key(Path p) {
    return Path.getPathWithoutSchemeAndAuthority(p);
  }
}
