package dev.fanout.instance;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The remote instances a command or the server works with, each opened from this instance once (through
 * {@link Instance#openRemote}) and kept open until this is closed: a server does not reconnect to a
 * remote's metadata database and catalog for every job.
 */
public final class Remotes implements AutoCloseable {
  private final Instance local;
  private final Map<String, Instance> open = new LinkedHashMap<>();

  public Remotes(Instance local) {
    this.local = local;
  }

  /** The remote instance named {@code name} ({@code fanout instance list}), opened on first use. */
  public synchronized Instance open(String name) {
    Instance remote = open.get(name);
    if (remote == null) {
      remote = local.openRemote(local.remoteInstances().require(name));
      open.put(name, remote);
    }
    return remote;
  }

  /** Closes a remote whose connection failed, so the next use opens it afresh. */
  public synchronized void forget(String name) {
    Instance remote = open.remove(name);
    if (remote != null) {
      remote.close();
    }
  }

  @Override
  public synchronized void close() {
    open.values().forEach(Instance::close);
    open.clear();
  }
}
