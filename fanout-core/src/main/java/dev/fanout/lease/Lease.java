package dev.fanout.lease;

/**
 * A lease as its holder knows it: the name of the work it guards ({@code import/db.table}), who holds
 * it, and the epoch it was taken at. The epoch is the fencing token: it grows with every take-over, so
 * a commit carrying an older epoch comes from a holder that lost the lease.
 */
public record Lease(String name, String holder, long epoch) {
  /** What the name of every copy job's lease starts with, before the job's id. */
  public static final String COPY_JOB_PREFIX = "copy-job/";

  /** The lease of the import of one table (also taken by a role switch of that table). */
  public static String importOf(Object table) {
    return "import/" + table;
  }

  /** The lease of the mirror of one table to one destination. */
  public static String mirrorOf(Object table, String destination) {
    return "mirror/" + table + "/" + destination;
  }

  /** The lease of the delivery of one webhook endpoint's notifications. */
  public static String notificationsOf(long endpointId) {
    return "notify/" + endpointId;
  }

  /** The lease of one copy job. */
  public static String copyJob(long jobId) {
    return COPY_JOB_PREFIX + jobId;
  }
}
