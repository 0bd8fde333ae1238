package dev.fanout.mirror;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a source table's file lands on the destination: the same path relative to the table location.
 * A file outside the location (a table migrated from Hive directories, or with {@code write.data.path})
 * goes to {@code data/_outside/<hash of its directory>/<name>} under the destination's location: the same
 * place every time, so a later sync finds it again.
 */
record PathMap(String sourceLocation, String targetLocation) {
  PathMap {
    sourceLocation = withSlash(sourceLocation);
    targetLocation = withSlash(targetLocation);
  }

  String target(String sourcePath) {
    if (sourcePath.startsWith(sourceLocation)) {
      return targetLocation + sourcePath.substring(sourceLocation.length());
    }
    int slash = sourcePath.lastIndexOf('/');
    return targetLocation + "data/_outside/" + digest(sourcePath.substring(0, Math.max(0, slash))) + "/"
        + sourcePath.substring(slash + 1);
  }

  private static String digest(String directory) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(directory.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String withSlash(String location) {
    return location.endsWith("/") ? location : location + "/";
  }
}
