package dev.fanout.sync;

import dev.fanout.FanoutException;

/**
 * Where a source table's file lands on the destination: the same path relative to the table location.
 * Files outside the source table's location are refused: there is no place for them that a later sync
 * would find again.
 */
record PathMap(String sourceLocation, String targetLocation) {
  PathMap {
    sourceLocation = withSlash(sourceLocation);
    targetLocation = withSlash(targetLocation);
  }

  String target(String sourcePath) {
    if (!sourcePath.startsWith(sourceLocation)) {
      throw new FanoutException("File " + sourcePath + " lies outside the table location " + sourceLocation
          + "; fanout sync copies tables whose files live under their location.");
    }
    return targetLocation + sourcePath.substring(sourceLocation.length());
  }

  private static String withSlash(String location) {
    return location.endsWith("/") ? location : location + "/";
  }
}
