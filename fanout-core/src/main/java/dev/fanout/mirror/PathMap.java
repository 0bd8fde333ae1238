package dev.fanout.mirror;

import dev.fanout.failure.NeedsPersonException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * Where a source table's file lands on the destination: the same path relative to the table location.
 * The paths come from the source table's manifests, which any writer of that table can fill, so a path
 * is copied only from the table's own places: its location and the data paths its properties declare
 * ({@code write.data.path}, as tables migrated from Hive directories have). A file elsewhere is refused
 * unless the user asked for such files ({@code elsewhereAllowed}), and a file in Fanout's own home never
 * leaves it. Files outside the location go to {@code data/_outside/<hash of its directory>/<name>} under
 * the destination's location: the same place every time, so a later sync finds it again.
 *
 * @param ownPlaces the source table's declared data paths besides its location
 * @param privateDir this instance's home on the local file system, or null when unknown
 */
record PathMap(String sourceLocation, String targetLocation, List<String> ownPlaces, boolean elsewhereAllowed,
    java.nio.file.Path privateDir) {
  PathMap {
    sourceLocation = withSlash(canonical(sourceLocation));
    targetLocation = withSlash(targetLocation);
    ownPlaces = ownPlaces.stream().map(p -> withSlash(canonical(p))).toList();
  }

  /** A map for tables whose files all lie under their location. */
  PathMap(String sourceLocation, String targetLocation) {
    this(sourceLocation, targetLocation, List.of(), false, null);
  }

  String target(String written) {
    if (hasDotSegment(written)) {
      throw refused(written, "its path has '.' or '..' segments");
    }
    String sourcePath = canonical(written);
    if (sourcePath.startsWith(sourceLocation)) {
      return targetLocation + sourcePath.substring(sourceLocation.length());
    }
    if (inPrivateDir(sourcePath)) {
      throw refused(sourcePath, "it lies in Fanout's home " + privateDir + ", whose files are never copied");
    }
    if (!elsewhereAllowed && ownPlaces.stream().noneMatch(sourcePath::startsWith)) {
      throw refused(sourcePath, "it lies outside the table's location " + sourceLocation + " and its declared data"
          + " paths; sync with --allow-files-elsewhere if the table's writers really put files there");
    }
    int slash = sourcePath.lastIndexOf('/');
    return targetLocation + "data/_outside/" + digest(sourcePath.substring(0, Math.max(0, slash))) + "/"
        + sourcePath.substring(slash + 1);
  }

  private static NeedsPersonException refused(String sourcePath, String why) {
    return new NeedsPersonException("The source table names the file " + sourcePath + ", which is not copied: " + why
        + ".");
  }

  private static boolean hasDotSegment(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private boolean inPrivateDir(String sourcePath) {
    if (privateDir == null) {
      return false;
    }
    java.net.URI uri = new Path(sourcePath).toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      return false;
    }
    return java.nio.file.Path.of(uri.getPath()).normalize().startsWith(privateDir.toAbsolutePath().normalize());
  }

  private static String digest(String directory) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * One spelling per place, so a prefix comparison means what it says: writers spell the same local file
   * {@code file:///x} or {@code file:/x}, and Hadoop's Path reads both as {@code file:/x}.
   */
  private static String canonical(String location) {
    return new Path(location).toString();
  }

  private static String withSlash(String location) {
    return location.endsWith("/") ? location : location + "/";
  }
}
