package dev.fanout.lease;

import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * Names of lease holders (import locks, copy jobs): {@code pid@host/nonce}. A holder on this host whose
 * process is gone crashed, so its lease can be taken at once instead of waiting for it to run out.
 */
public final class LeaseOwners {
  private LeaseOwners() {}

  public static String newOwner() {
    return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static boolean diedOnThisHost(String holder) {
    if (holder == null) {
      return false;
    }
    int at = holder.indexOf('@');
    int slash = holder.lastIndexOf('/');
    if (at <= 0 || slash < at) {
      return false;
    }
    String self = ManagementFactory.getRuntimeMXBean().getName();
    String host = holder.substring(at + 1, slash);
    if (!host.equals(self.substring(self.indexOf('@') + 1))) {
      return false;
    }
    try {
      return ProcessHandle.of(Long.parseLong(holder.substring(0, at))).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
