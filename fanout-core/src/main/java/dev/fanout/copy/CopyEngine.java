package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * What copies the files of a staging directory to a remote instance ({@code dbimport_instances.copy_engine}).
 * Every engine gives the {@link Copier} guarantees, so the remote receives the same bytes whichever is
 * chosen; they differ in where the bytes flow and what a copy costs to start.
 */
public enum CopyEngine {
  /** {@link ParallelCopier}: parallel streams in this process. Starts at once; the default. */
  LOCAL("local"),
  /**
   * {@link DistCpCopier} with Hadoop's local job runner: DistCp's maps run as threads of this process.
   * For parity with DistCp tooling; costs a job start-up and a few tens of milliseconds per file.
   */
  DISTCP("distcp"),
  /**
   * {@link DistCpCopier} submitted to YARN: the maps run on the cluster's nodes, so the bytes do not flow
   * through this host. Needs the cluster's configuration ({@code HADOOP_CONF_DIR} with yarn-site.xml).
   */
  DISTCP_YARN("distcp-yarn");

  private final String code;

  CopyEngine(String code) {
    this.code = code;
  }

  /** The name in {@code --copy-engine} and in the metadata database. */
  public String code() {
    return code;
  }

  public static CopyEngine parse(String code) {
    String wanted = code == null ? "" : code.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(e -> e.code.equals(wanted)).findFirst()
        .orElseThrow(() -> new FanoutException("Unknown copy engine '" + code + "'; use one of "
            + Arrays.stream(values()).map(CopyEngine::code).collect(Collectors.joining(", ")) + "."));
  }

  /**
   * A copier of this engine to one destination. The local engine's limit is shared by all copies to that
   * destination in this process; DistCp's is its own, per map, as DistCp applies it.
   *
   * @param destination identifies the destination (see {@link DestinationBandwidth})
   */
  public Copier copier(Configuration conf, String destination, long bytesPerSecond) {
    return this == LOCAL ? ParallelCopier.builder().destinationBandwidth(destination, bytesPerSecond).build()
        : copier(conf, bytesPerSecond);
  }

  /**
   * A copier of this engine.
   *
   * @param conf the Hadoop configuration the clusters were opened with
   * @param bytesPerSecond a limit for all streams (or maps) of one copy together; 0 for none
   */
  public Copier copier(Configuration conf, long bytesPerSecond) {
    return switch (this) {
      case LOCAL -> ParallelCopier.builder().bandwidth(bytesPerSecond).build();
      case DISTCP -> DistCpCopier.builder(conf).bandwidth(bytesPerSecond).build();
      case DISTCP_YARN -> DistCpCopier.builder(conf).onYarn(DistCpCopier.hadoopConfDirFromEnvironment())
          .bandwidth(bytesPerSecond).build();
    };
  }
}
