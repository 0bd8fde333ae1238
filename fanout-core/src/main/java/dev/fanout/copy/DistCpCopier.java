package dev.fanout.copy;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.mapreduce.Counters;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.MRConfig;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.tools.DistCp;
import org.apache.hadoop.tools.DistCpOptions;
import org.apache.hadoop.tools.mapred.CopyMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Copier} that hands the bytes to Hadoop DistCp: one DistCp job per target directory, with
 * DistCp's {@code -update} semantics (a target of the same length, and where both file systems have
 * comparable checksums the same checksum, is skipped) and its checksum check after every file it
 * copies. The job runs in this process with Hadoop's local job runner (as many maps at once as
 * {@link ParallelCopier} has streams, see {@link LocalMapsInputFormat}), or on YARN; without DistCp's
 * default cap of 100 MB/s per map, unless a bandwidth limit is given.
 *
 * <p>Success is decided by the job's result ({@link Job#isSuccessful()}, its counters), then by a
 * {@link CopiedFilesCheck} of every target: there, with the recorded length, and with the recorded
 * CRC-32C when read back, as {@link ParallelCopier} guarantees. A target that fails the check is removed,
 * so the next call copies it again (on file systems without checksums {@code -update} compares lengths
 * only), and the call fails with a {@link CopyException} naming the first such file. DistCp writes each
 * file under a hidden temporary name and renames it, so nothing half-written appears under a final name;
 * unlike {@link ParallelCopier}, a copy of a damaged source is under its final name from the end of the
 * job until the check removes it (never next to a manifest: {@link StagingCopy} copies that last).
 *
 * <p>A call of one file of at most 1 MiB (the manifest {@link StagingCopy} copies after the data) goes to
 * an in-process copier: a job costs about 0.3 s to start in this process, and seconds on YARN.
 */
public final class DistCpCopier implements Copier {
  private static final Logger LOG = LoggerFactory.getLogger(DistCpCopier.class);
  static final long IN_PROCESS_MAX_BYTES = 1 << 20;
  private static final List<String> SITE_FILES = List.of("core-site.xml", "hdfs-site.xml", "mapred-site.xml",
      "yarn-site.xml");
  /** DistCp's own default number of maps, used on YARN. */
  private static final int YARN_MAPS = 20;
  private static final String FILE_IMPL = "fs.file.impl";
  private static final float UNLIMITED_MB_PER_SECOND = 1_000_000f;
  /**
   * DistCp's default is 8 KiB; with 64 KiB, 1 GiB in 4 files took 1.0–1.3 s here against 1.5–1.6 s, and
   * 1 MiB made the times erratic (BENCHMARKS.md, copy engines).
   */
  private static final int COPY_BUFFER_BYTES = 64 << 10;
  private final Configuration conf;
  private final boolean yarn;
  private final int maps;
  private final long bytesPerSecond;
  private final Copier inProcess;

  private DistCpCopier(Builder b) {
    this.yarn = b.yarn;
    this.conf = b.yarn ? yarnConfiguration(b.conf, b.yarnConfDir) : b.conf;
    // in this process as many maps as ParallelCopier has streams: the cores, at least 2
    this.maps = b.maps > 0 ? b.maps : b.yarn ? YARN_MAPS : Math.max(2, Runtime.getRuntime().availableProcessors());
    this.bytesPerSecond = b.bytesPerSecond;
    this.inProcess = b.inProcess != null ? b.inProcess : ParallelCopier.builder().bandwidth(b.bytesPerSecond).build();
  }

  /** @param conf the configuration the clusters' file systems were opened with */
  public static Builder builder(Configuration conf) {
    return new Builder(conf);
  }

  /** {@code $HADOOP_CONF_DIR}, where a Hadoop client finds its cluster's site files; {@code null} when unset. */
  public static java.nio.file.Path hadoopConfDirFromEnvironment() {
    String dir = System.getenv("HADOOP_CONF_DIR");
    return dir == null || dir.isBlank() ? null : java.nio.file.Path.of(dir);
  }

  @Override
  public CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files) {
    if (files.isEmpty()) {
      return new CopyResult(0, 0, 0, Duration.ZERO);
    }
    if (files.size() == 1 && files.get(0).length() <= IN_PROCESS_MAX_BYTES) {
      return inProcess.copy(from, to, files);
    }
    long start = System.nanoTime();
    List<FileCopy> qualified = files.stream().map(f -> new FileCopy(from.makeQualified(f.source()),
        to.makeQualified(f.target()), f.length(), f.crc32c())).toList();
    if (yarn) {
      refuseLocalFileSystems(from, to, qualified.get(0));
    }
    Map<Path, List<FileCopy>> byDirectory = qualified.stream().collect(Collectors.groupingBy(
        f -> f.target().getParent(), LinkedHashMap::new, Collectors.toList()));
    JobResult all = new JobResult(0, 0, 0);
    for (Map.Entry<Path, List<FileCopy>> dir : byDirectory.entrySet()) {
      all = all.plus(copyDirectory(from, to, dir.getKey(), dir.getValue()));
    }
    List<CopiedFilesCheck.Mismatch> bad = new CopiedFilesCheck(from, to, maps).check(qualified);
    if (!bad.isEmpty()) {
      bad.forEach(m -> Failures.deleteQuietly(to, m.file().target()));
      CopiedFilesCheck.Mismatch first = bad.get(0);
      throw new CopyException(first.file().source(), first.file().target(), first.reason()
          + (bad.size() > 1 ? "; " + (bad.size() - 1) + " more file(s) of this copy failed the check too" : ""), null);
    }
    return new CopyResult(all.copied(), all.skipped(), all.bytes(), Duration.ofNanos(System.nanoTime() - start));
  }

  private record JobResult(int copied, int skipped, long bytes) {
    JobResult plus(JobResult o) {
      return new JobResult(copied + o.copied, skipped + o.skipped, bytes + o.bytes);
    }
  }

  /** One DistCp job for the files of one target directory. */
  private JobResult copyDirectory(FileSystem from, FileSystem to, Path targetDir, List<FileCopy> files) {
    mkdirs(to, targetDir);
    if (yarn) {
      return runJob(jobConfiguration(targetDir), from, to, targetDir, files);
    }
    try (LocalJobDirectory work = LocalJobDirectory.create()) {
      Configuration jobConf = jobConfiguration(targetDir);
      work.configure(jobConf);
      return runJob(jobConf, from, to, targetDir, files);
    } catch (IOException e) {
      throw new CopyException(null, targetDir, "cannot create a work directory for the DistCp job ("
          + Failures.describe(e) + ")", e);
    }
  }

  private JobResult runJob(Configuration jobConf, FileSystem from, FileSystem to, Path targetDir,
      List<FileCopy> files) {
    DistCpOptions.Builder options = new DistCpOptions.Builder(files.stream().map(FileCopy::source).toList(), targetDir)
        .withSyncFolder(true)  // -update
        .withSkipCRC(false)
        .withBlocking(true)
        .withCopyBufferSize(COPY_BUFFER_BYTES)
        .maxMaps(maps);
    if (!yarn) {
      options.withCopyStrategy(LocalMapsInputFormat.STRATEGY);
    }
    // DistCp limits each map, in MB/s, to 100 unless told otherwise: a limit of its own Fanout does not set
    options.withMapBandwidth(bytesPerSecond > 0 ? (float) bytesPerSecond / maps / (1 << 20) : UNLIMITED_MB_PER_SECOND);
    Job job;
    try {
      job = new ListedDistCp(jobConf, options.build(), from, files).createAndSubmitJob();
    } catch (FileCopyListing.SourceMissing e) {
      throw new CopyException(e.file.source(), e.file.target(), "cannot open the source file ("
          + Failures.describe(e.getCause()) + ")", e);
    } catch (Exception e) {
      throw new CopyException(null, targetDir, "cannot start the DistCp job (" + Failures.describe(e) + ")", e);
    }
    try {
      if (!awaitCompletion(job)) {
        throw jobFailed(job, from, to, targetDir, files);
      }
      Counters counters = job.getCounters();
      JobResult r = new JobResult((int) counter(counters, CopyMapper.Counter.COPY),
          (int) counter(counters, CopyMapper.Counter.SKIP), counter(counters, CopyMapper.Counter.BYTESCOPIED));
      LOG.info("DistCp job {} to {}: {} files copied, {} skipped, {} bytes", job.getJobID(), targetDir, r.copied(),
          r.skipped(), r.bytes());
      return r;
    } catch (IOException e) {
      throw new CopyException(null, targetDir, "cannot follow the DistCp job " + job.getJobID() + " ("
          + Failures.describe(e) + ")", e);
    } finally {
      closeQuietly(job);
    }
  }

  /** Waits for the job; an interrupt kills it, since the caller gives up on the copy. */
  private boolean awaitCompletion(Job job) throws IOException {
    // Job.waitForCompletion(false) polls only every 5 s and swallows interrupts
    long pollMillis = yarn ? 1000 : 50;
    try {
      while (!job.isComplete()) {
        Thread.sleep(pollMillis);
      }
      return job.isSuccessful();
    } catch (InterruptedException e) {
      try {
        job.killJob();
      } catch (IOException | RuntimeException ignored) {
        // best effort: the job's temporary files are hidden, and the next copy overwrites them
      }
      Thread.currentThread().interrupt();
      throw new FanoutException("The copy was interrupted and its DistCp job " + job.getJobID() + " killed; the files"
          + " already in place stay, and the next copy copies only what is missing.", e);
    }
  }

  /** Names the first file the failed job left out, and what is known of why. */
  private CopyException jobFailed(Job job, FileSystem from, FileSystem to, Path targetDir, List<FileCopy> files)
      throws IOException {
    String info = failureInfo(job);
    String why = "the DistCp job " + job.getJobID() + " failed"
        + (info == null || info.isBlank() || info.equals("NA") ? "" : " (" + Failures.describe(new IOException(info)) + ")");
    for (FileCopy f : files) {
      FileStatus target = status(to, f.target());
      if (target == null || !target.isFile() || target.getLen() != f.length()) {
        String known = !from.exists(f.source()) ? "; the source file is not there any more"
            : target != null && target.isDirectory() ? "; a directory is where the file should go" : "";
        return new CopyException(f.source(), f.target(), why + known, null);
      }
    }
    return new CopyException(null, targetDir, why, null);
  }

  private static String failureInfo(Job job) throws IOException {
    try {
      return job.getStatus() == null ? null : job.getStatus().getFailureInfo();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  private Configuration jobConfiguration(Path targetDir) {
    Configuration c = new Configuration(conf);
    c.set(MRJobConfig.JOB_NAME, "fanout copy to " + targetDir);
    if (!yarn) {
      c.set(MRConfig.FRAMEWORK_NAME, MRConfig.LOCAL_FRAMEWORK_NAME);
      // the local job runner runs one map, and one map at a time, unless told otherwise
      c.setInt("mapreduce.local.map.tasks.maximum", maps);
      LocalMapsInputFormat.configure(c, maps);
      if (RawLocalFileSystem.class.getName().equals(c.get(FILE_IMPL))) {
        c.set(FILE_IMPL, UncheckedLocalFileSystem.class.getName());  // the local job runner casts to LocalFileSystem
      }
    }
    // file-level CRCs, comparable between HDFS clusters with other block sizes (DistCp's checksum check)
    c.set("dfs.checksum.combine.mode", "COMPOSITE_CRC");
    return c;
  }

  private static Configuration yarnConfiguration(Configuration base, java.nio.file.Path confDir) {
    Configuration c = new Configuration(base);
    c.unset(FILE_IMPL);  // the tasks run on the cluster's nodes, with Hadoop's own local file system
    if (confDir != null) {
      for (String name : SITE_FILES) {
        java.nio.file.Path file = confDir.resolve(name);
        if (Files.isRegularFile(file)) {
          c.addResource(new Path(file.toUri()));
        }
      }
    }
    c.set(MRConfig.FRAMEWORK_NAME, MRConfig.YARN_FRAMEWORK_NAME);
    // once YARN's classes are loaded, yarn-default.xml answers 0.0.0.0:8032: no resource manager either
    String address = c.get("yarn.resourcemanager.address");
    boolean resourceManager = address != null && !address.startsWith("0.0.0.0:")
        || c.getBoolean("yarn.resourcemanager.ha.enabled", false);
    if (!resourceManager) {
      throw new FanoutException("The distcp-yarn copy engine needs the YARN cluster's configuration, and "
          + (confDir == null ? "HADOOP_CONF_DIR is not set" : "HADOOP_CONF_DIR (" + confDir + ") names no resource"
          + " manager") + ": set HADOOP_CONF_DIR to the directory with the cluster's yarn-site.xml and"
          + " mapred-site.xml, or use the distcp engine (local job runner).");
    }
    return c;
  }

  private static void refuseLocalFileSystems(FileSystem from, FileSystem to, FileCopy example) {
    boolean localSource = "file".equals(from.getUri().getScheme());
    if (localSource || "file".equals(to.getUri().getScheme())) {
      throw new CopyException(example.source(), example.target(), "the distcp-yarn engine runs its copies on the"
          + " YARN cluster's nodes, which cannot see " + (localSource ? example.source() : example.target())
          + " on this host; use the distcp or local engine for local directories", null);
    }
  }

  private static void mkdirs(FileSystem to, Path dir) {
    try {
      if (!to.mkdirs(dir)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw new CopyException(null, dir, "cannot create the directory (" + Failures.describe(e) + ")", e);
    }
  }

  private static long counter(Counters counters, CopyMapper.Counter name) {
    return counters == null ? 0 : counters.findCounter(name).getValue();
  }

  private static void closeQuietly(Job job) {
    try {
      job.close();
    } catch (IOException | RuntimeException ignored) {
      // the job is over; closing only lets go of its client
    }
  }

  /** DistCp with its input listing made from the {@link FileCopy}s, so files may land under other names. */
  private static final class ListedDistCp extends DistCp {
    private final FileSystem from;
    private final List<FileCopy> files;

    ListedDistCp(Configuration conf, DistCpOptions options, FileSystem from, List<FileCopy> files) throws Exception {
      super(conf, options);
      this.from = from;
      this.files = new ArrayList<>(files);
    }

    @Override
    protected Path createInputFileListing(Job job) throws IOException {
      Path listing = getFileListingPath();
      new FileCopyListing(job.getConfiguration(), job.getCredentials(), from, files).buildListing(listing, getContext());
      return listing;
    }
  }

  public static final class Builder {
    private final Configuration conf;
    private boolean yarn;
    private java.nio.file.Path yarnConfDir;
    private int maps;
    private long bytesPerSecond;
    private Copier inProcess;

    private Builder(Configuration conf) {
      this.conf = conf;
    }

    /**
     * Submits the jobs to YARN instead of running them in this process: the configuration is the given
     * one plus the site files in {@code hadoopConfDir} (core, hdfs, mapred, yarn), which must name a
     * resource manager. Both sides of every copy must then be cluster file systems.
     */
    public Builder onYarn(java.nio.file.Path hadoopConfDir) {
      this.yarn = true;
      this.yarnConfDir = hadoopConfDir;
      return this;
    }

    /** DistCp's maps (-m); default: the cores, at least 2, in this process; 20 on YARN. */
    public Builder maps(int n) {
      if (n < 1) {
        throw new FanoutException("DistCp needs at least 1 map, not " + n + ".");
      }
      maps = n;
      return this;
    }

    /** A limit on the bytes per second of all maps of one job together; 0 (the default) for none. */
    public Builder bandwidth(long bytesPerSecondLimit) {
      if (bytesPerSecondLimit < 0) {
        throw new FanoutException("A bandwidth limit cannot be negative: " + bytesPerSecondLimit + ".");
      }
      bytesPerSecond = bytesPerSecondLimit;
      return this;
    }

    /** What copies a call of one small file; default: a {@link ParallelCopier} with the same bandwidth limit. */
    public Builder inProcess(Copier copier) {
      inProcess = copier;
      return this;
    }

    public DistCpCopier build() {
      return new DistCpCopier(this);
    }
  }
}
