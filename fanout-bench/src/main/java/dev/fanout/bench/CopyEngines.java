package dev.fanout.bench;

import dev.fanout.cluster.Cluster;
import dev.fanout.copy.Copier;
import dev.fanout.copy.CopyEngine;
import dev.fanout.copy.StagingCopy;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.tools.DistCp;
import org.apache.hadoop.util.ToolRunner;

/**
 * Fanout's two copy engines (local: {@code ParallelCopier}; distcp: {@code DistCpCopier}, DistCp with the
 * local job runner, {@code -update}, checksums, then Fanout's read-back check) beside {@code cp -r} and
 * plain DistCp ({@code hadoop distcp -update -m 2 SRC DST} in-process: Hadoop's default configuration,
 * local job runner, two maps at once). Each copies the same staging directories through the same
 * {@link StagingCopy} path an import uses (data files, then the manifest):
 * <ul>
 *   <li>local directory to local directory, source in the page cache, {@code sync} before every timed copy:
 *       1 GiB in 4 files, 1 GiB in 64 files, 16 MiB in 64 files, 8 KiB in 2 files, each engine ROUNDS times,
 *       alternating;
 *   <li>the same 1 GiB in 4 files again onto the finished copy (nothing to copy: what {@code -update} saves);
 *   <li>1 GiB in 4 files from local disk to an in-process HDFS (one DataNode, replication 1), twice each.
 * </ul>
 * Prints best and median per engine and shape, the CPU time of this process, and for each engine a model
 * time = fixed + per file × files + bytes / throughput from the local shapes (fixed: 8 KiB in 2 files),
 * the input of the pay-off points in BENCHMARKS.md. Usage: WORK_DIR [ROUNDS (default 3)] [--no-hdfs];
 * {@code -Dengines=cp,local,distcp,plain} runs only the engines whose names contain one of those words.
 */
public final class CopyEngines {
  private static final long MIB = 1 << 20;

  private CopyEngines() {}

  private record Shape(String name, int files, long bytesEach) {
    long bytes() {
      return files * bytesEach;
    }
  }

  private record Run(double seconds, double cpuSeconds) {}

  private interface Engine {
    void copy(Cluster from, org.apache.hadoop.fs.Path dir, Cluster to, String importId) throws Exception;
  }

  private interface Body {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int rounds = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 3;
    boolean hdfs = !List.of(args).contains("--no-hdfs");
    Configuration conf = Cluster.defaultConfiguration();
    Cluster source = new Cluster("src", URI.create("file:///"), work.resolve("src").toString(), conf);
    Map<String, Engine> engines = engines(conf, work);

    List<Shape> shapes = List.of(new Shape("1 GiB in 4 files", 4, 256 * MIB),
        new Shape("1 GiB in 64 files", 64, 16 * MIB), new Shape("16 MiB in 64 files", 64, MIB / 4),
        new Shape("8 KiB in 2 files", 2, 4096));
    Map<String, Map<Shape, Double>> medians = new LinkedHashMap<>();
    for (Shape shape : shapes) {
      String importId = "s" + shape.files() + "x" + shape.bytesEach();
      boolean big = shape == shapes.get(0);
      org.apache.hadoop.fs.Path dir = BenchStaging.write(source, importId, shape.files(), shape.bytesEach());
      System.out.printf("%s, local to local, %d rounds (best | median, CPU of this JVM on the median run):%n",
          shape.name(), rounds);
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, Engine> e : engines.entrySet()) {
          Cluster target = local(conf, work, e.getKey() + "-" + round);
          if (!Boolean.getBoolean("nosync")) {
            run("sync");
          }
          runs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(timed(() ->
              e.getValue().copy(source, dir, target, importId)));
          boolean keptForRerun = big && round == rounds - 1 && !e.getKey().equals("cp -r");
          if (!keptForRerun) {
            run("rm", "-rf", target.basedir().toUri().getPath());
          }
        }
      }
      for (Map.Entry<String, List<Run>> r : runs.entrySet()) {
        Run median = print(r.getKey(), r.getValue(), shape.bytes());
        medians.computeIfAbsent(r.getKey(), k -> new LinkedHashMap<>()).put(shape, median.seconds());
      }
      if (big) {
        System.out.println("  again onto the finished copy (nothing to copy; cp has no -update):");
        for (Map.Entry<String, Engine> e : engines.entrySet()) {
          if (e.getKey().equals("cp -r")) {
            continue;
          }
          Cluster target = local(conf, work, e.getKey() + "-" + (rounds - 1));
          List<Run> again = new ArrayList<>();
          for (int i = 0; i < 2; i++) {
            again.add(timed(() -> e.getValue().copy(source, dir, target, importId)));
          }
          print(e.getKey(), again, 0);
          run("rm", "-rf", target.basedir().toUri().getPath());
        }
      }
      run("rm", "-rf", dir.toUri().getPath());
    }
    fit(medians, shapes);
    if (hdfs && engines.keySet().stream().anyMatch(name -> !name.equals("cp -r"))) {
      toHdfs(work, conf);
    }
    run("rm", "-rf", work.toString());
  }

  private static Map<String, Engine> engines(Configuration conf, Path work) {
    Map<String, Engine> engines = new LinkedHashMap<>();
    engines.put("cp -r", (from, dir, to, id) -> {
      org.apache.hadoop.fs.Path target = new dev.fanout.stage.StagingArea(to).directory(BenchStaging.TABLE, id);
      run("mkdir", "-p", target.getParent().toUri().getPath());
      run("cp", "-r", dir.toUri().getPath(), target.toUri().getPath());
    });
    engines.put("fanout local", fanout(CopyEngine.LOCAL.copier(conf, 0)));
    engines.put("fanout distcp", fanout(CopyEngine.DISTCP.copier(conf, 0)));
    engines.put("plain distcp", (from, dir, to, id) -> plainDistCp(work, dir.toString(),
        new dev.fanout.stage.StagingArea(to).directory(BenchStaging.TABLE, id).toString()));
    String only = System.getProperty("engines");  // -Dengines=cp,local,distcp,plain runs only those
    if (only != null) {
      Map<String, String> ids = Map.of("cp -r", "cp", "fanout local", "local", "fanout distcp", "distcp",
          "plain distcp", "plain");
      List<String> wanted = List.of(only.split(","));
      engines.keySet().removeIf(name -> !wanted.contains(ids.get(name)));
    }
    return engines;
  }

  private static Engine fanout(Copier copier) {
    StagingCopy copy = new StagingCopy(copier);
    return (from, dir, to, id) -> copy.copy(from, dir, to, BenchStaging.TABLE, id);
  }

  /** What {@code hadoop distcp -update -m 2 SRC DST} does, in this process, judged by its exit code. */
  private static void plainDistCp(Path work, String source, String target) throws Exception {
    Configuration conf = new Configuration();
    conf.setInt("dfs.replication", 1);  // what the one-DataNode test cluster's hdfs-site would say
    conf.set("mapreduce.framework.name", "local");
    conf.setInt("mapreduce.local.map.tasks.maximum", 2);
    conf.set("mapreduce.jobtracker.staging.root.dir", work.resolve("distcp-staging").toUri().toString());
    conf.set("mapreduce.cluster.local.dir", work.resolve("distcp-local").toString());
    int rc = ToolRunner.run(conf, new DistCp(conf, null), new String[] {"-update", "-m", "2", source, target});
    if (rc != 0) {
      throw new IllegalStateException("DistCp exited " + rc);
    }
  }

  private static void toHdfs(Path work, Configuration conf) throws Exception {
    Configuration dfsConf = new Configuration();
    dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, work.resolve("dfs").toString());
    dfsConf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
    dfsConf.setInt("dfs.replication", 1);
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
    try {
      Configuration clusterConf = new Configuration(conf);
      clusterConf.setInt("dfs.replication", 1);
      clusterConf.setInt("dfs.client.block.write.locateFollowingBlock.initial.delay.ms", 10);
      Map<String, Engine> onHdfs = engines(clusterConf, work);
      Cluster source = new Cluster("src", URI.create("file:///"), work.resolve("src").toString(), conf);
      Shape shape = new Shape("1 GiB in 4 files", 4, 256 * MIB);
      org.apache.hadoop.fs.Path dir = BenchStaging.write(source, "to-hdfs", shape.files(), shape.bytesEach());
      System.out.println(shape.name() + ", local disk to an in-process HDFS, 2 rounds (best | median):");
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int round = 0; round < 2; round++) {
        for (Map.Entry<String, Engine> e : onHdfs.entrySet()) {
          if (e.getKey().equals("cp -r")) {
            continue;
          }
          Cluster target = new Cluster("dfs", dfs.getURI(), "/" + e.getKey().replace(' ', '-') + "-" + round,
              clusterConf);
          runs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(timed(() ->
              e.getValue().copy(source, dir, target, "to-hdfs")));
          target.fs().delete(target.basedir(), true);
        }
      }
      runs.forEach((name, r) -> print(name, r, shape.bytes()));
    } finally {
      dfs.shutdown(true);
    }
  }

  /**
   * time = fixed + per file × files + bytes / throughput: fixed from the 2 tiny files, throughput from 1 GiB in
   * 4 files, per file from the 64 small files; 1 GiB in 64 files is then predicted, as a check of the model.
   */
  private static void fit(Map<String, Map<Shape, Double>> medians, List<Shape> shapes) {
    Shape big = shapes.get(0);
    Shape many = shapes.get(1);
    Shape small = shapes.get(2);
    Shape tiny = shapes.get(3);
    System.out.println("model from the medians: time = fixed + per file x files + bytes / throughput");
    for (Map.Entry<String, Map<Shape, Double>> e : medians.entrySet()) {
      Map<Shape, Double> t = e.getValue();
      double fixed = t.get(tiny);
      double secondsPerByte = (t.get(big) - fixed) / big.bytes();
      double perFile = (t.get(small) - fixed - small.bytes() * secondsPerByte) / (small.files() - tiny.files());
      double predicted = fixed + perFile * many.files() + many.bytes() * secondsPerByte;
      System.out.printf("  %-14s fixed %6.3f s, per file %6.1f ms, throughput %6.0f MB/s; 1 GiB in 64 files:"
          + " predicted %.2f s, measured %.2f s%n", e.getKey(), fixed, perFile * 1000, 1 / secondsPerByte / MIB,
          predicted, t.get(many));
    }
  }

  private static Run print(String engine, List<Run> runs, long bytes) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
    Run best = sorted.get(0);
    Run median = sorted.get(sorted.size() / 2);
    System.out.printf("  %-14s %6.2f s | %6.2f s%s, CPU %5.1f s; rounds in order:%s%n", engine, best.seconds(),
        median.seconds(), bytes == 0 ? "" : String.format(" (%4.0f MB/s on the median)", bytes / MIB / median.seconds()),
        median.cpuSeconds(), Arrays.toString(runs.stream().mapToDouble(Run::seconds)
            .map(s -> Math.round(s * 100) / 100.0).toArray()));
    return median;
  }

  private static Cluster local(Configuration conf, Path work, String name) {
    return new Cluster(name, URI.create("file:///"), work.resolve(name.replace(' ', '-')).toString(), conf);
  }

  private static Run timed(Body body) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long t = System.nanoTime();
    body.run();
    return new Run((System.nanoTime() - t) / 1e9, (os.getProcessCpuTime() - cpu) / 1e9);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
