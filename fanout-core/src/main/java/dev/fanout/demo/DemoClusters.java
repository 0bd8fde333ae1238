package dev.fanout.demo;

import dev.fanout.config.FanoutHome;
import dev.fanout.config.InstanceSettings;
import dev.fanout.copy.CopyEngine;
import dev.fanout.instance.Instance;
import dev.fanout.instance.RemoteInstance;
import dev.fanout.replication.CopyRule;
import dev.fanout.replication.CopyRuleRepository;
import dev.fanout.replication.DataTransfer;
import dev.fanout.replication.TableFilter;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's three clusters. Instance {@code a} lives in the demo's home; {@code b} and {@code c} are
 * instances of their own under {@code <home>/demo/}, each with its own embedded metadata database and a
 * local directory as its cluster. {@code a} copies every shop table to {@code b} synchronously (inside
 * the import) and to {@code c} asynchronously (through the copy server), so both kinds of copy show.
 */
public final class DemoClusters {
  public static final String SOURCE_INSTANCE = "a";
  public static final String SYNCHRONOUS_DESTINATION = "b";
  public static final String ASYNCHRONOUS_DESTINATION = "c";
  private static final TableFilter SHOP = TableFilter.parse("shop.*");

  private final Path dir;

  public DemoClusters(Path home) {
    this.dir = home.resolve("demo");
  }

  public static List<String> destinations() {
    return List.of(SYNCHRONOUS_DESTINATION, ASYNCHRONOUS_DESTINATION);
  }

  /** The home of destination {@code b} or {@code c}. */
  public FanoutHome home(String destination) {
    return new FanoutHome(dir.resolve(destination));
  }

  /** Makes {@code b} and {@code c} known to {@code a} and adds the two copy rules, where missing: a rerun changes nothing. */
  public void connect(Instance a) {
    for (String name : destinations()) {
      if (a.remoteInstances().find(name).isEmpty()) {
        a.remoteInstances().add(remote(name, a));
      }
    }
    CopyRuleRepository rules = new CopyRuleRepository(a.transactions());
    List<CopyRule> existing = rules.list();
    addRule(rules, existing, SYNCHRONOUS_DESTINATION, DataTransfer.SYNCHRONOUS);
    addRule(rules, existing, ASYNCHRONOUS_DESTINATION, DataTransfer.ASYNCHRONOUS);
  }

  /** A destination as {@code instance add} would record it: its own metadata URL and credentials, re-sealed for a. */
  private RemoteInstance remote(String name, Instance a) {
    FanoutHome home = home(name);
    InstanceSettings settings = home.settings();
    return new RemoteInstance(name, settings.metadataUrl(), a.seal(home.metadataCredentials()),
        settings.fileSystem().toString(), settings.basedir(), false, null, null, CopyEngine.LOCAL);
  }

  private static void addRule(CopyRuleRepository rules, List<CopyRule> existing, String destination,
      DataTransfer transfer) {
    if (existing.stream().noneMatch(r -> r.destination().equals(destination))) {
      rules.add(SHOP, destination, transfer);
    }
  }
}
