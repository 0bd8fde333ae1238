package dev.fanout.metadata;

/** A {@code jdbc_connections} row. The credentials stay sealed until a source session opens. */
public record SourceConnection(String alias, String jdbcUrl, String sealedCredentials, int maxSessions) {
  @Override
  public String toString() {
    return "SourceConnection{" + alias + ", " + jdbcUrl + ", maxSessions=" + maxSessions + "}";
  }
}
