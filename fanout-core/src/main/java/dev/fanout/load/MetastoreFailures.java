package dev.fanout.load;

import org.apache.hadoop.hive.metastore.api.MetaException;
import org.apache.iceberg.hive.RuntimeMetaException;
import org.apache.thrift.transport.TTransportException;

/**
 * What the Hive Metastore client's exceptions mean for a user: whether the metastore could not be reached, and
 * the reason in a few words. The client chains class names and a stack trace into its messages.
 */
final class MetastoreFailures {
  private MetastoreFailures() {}

  /** The client could not connect, or its pooled connection broke and could not be made again. */
  static boolean lostConnection(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RuntimeMetaException || t instanceof TTransportException
          || t instanceof java.net.SocketException) {
        return true;
      }
      // the retrying client's last word, a MetaException without a cause: "Could not connect to meta store ..."
      if (t instanceof MetaException && t.getMessage() != null
          && t.getMessage().contains("connect to meta store")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost cause's first line, without the exception class names the metastore client chains into it
   * ("... Most recent failure: org.apache.thrift...TTransportException: java.net.ConnectException: Connection
   * refused" becomes "Connection refused"), and without the stack trace it appends.
   */
  static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().strip();
    message = message.lines().findFirst().orElse(message);
    int chained = Math.max(message.lastIndexOf("Exception: "), message.lastIndexOf("Error: "));
    if (chained >= 0) {
      message = message.substring(message.indexOf(": ", chained) + 2);
    }
    return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
  }
}
