package dev.fanout.bench;

import dev.fanout.instance.Instance;
import dev.fanout.cli.Main;
import dev.fanout.config.FanoutHome;
import dev.fanout.load.LakeCatalog;
import dev.fanout.metadata.MetadataDatabase;
import dev.fanout.metadata.TableName;
import dev.fanout.security.Credentials;
import dev.fanout.instance.RemoteInstance;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.tools.DistCp;
import org.apache.hadoop.util.ToolRunner;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * {@code fanout sync} (issue 5) beside what a user would do without it: copy the table's directory.
 * Two instances with embedded H2 metadata and local-directory clusters, set up through the CLI as the sync
 * tests do; tables written straight through the Iceberg API, as any engine would:
 * <ol>
 *   <li>first sync of {@code bench.big}, about 1 GiB in 64 Parquet data files, against {@code cp -r} of the
 *       table's directory (a fresh destination instance per round);
 *   <li>incremental sync after one append of one ~1 MB file to {@code bench.many} (1,000 data files of ~100 KB
 *       in 100 commits), against plain DistCp {@code -update -m 2} of the table's directory after the same append;
 *   <li>the same again with nothing changed.
 * </ol>
 * Every timed run is its own JVM ({@link FanoutChild}: {@code dev.fanout.cli.Main.run}, the launcher's entry
 * point, in-process, on the launcher's class path; {@code child-distcp}: {@code ToolRunner.run(new DistCp(...))}
 * as {@code hadoop distcp} runs it), so each side pays its cold start as a user's command does, and DistCp's jobs
 * cannot slow Fanout's writes (see CopyEngines). Each child reports the time of the command itself and its JVM's
 * CPU; this driver adds the whole process's wall time and the other processes' share of the machine meanwhile.
 * Before every timed copy: {@code sync}, then a wait for a quiet machine. ROUNDS interleaved rounds, the order of
 * the two sides alternating; medians. Afterwards one cold {@code FanoutChild phases} run shows where a sync with
 * nothing to do spends its time. Usage: WORK_DIR [ROUNDS (default 3)]. Table sizes: {@code -Dbig.files=64
 * -Dbig.mib=16 -Dmany.files=1000 -Dmany.kib=100}; {@code -Dsyncbench.jfr=DIR} records every Fanout command.
 */
public final class MirrorBench {
  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "account", Types.LongType.get()),
      Types.NestedField.optional(3, "amount", Types.DoubleType.get()),
      Types.NestedField.optional(4, "qty", Types.IntegerType.get()),
      Types.NestedField.optional(5, "ref", Types.StringType.get()));
  private static final Pattern SUMMARY = Pattern.compile(
      "(\\d+) data files and (\\d+) delete files added, (\\d+) removed; ([0-9.]+) MB copied");
  private static final String[] JAVA = {"java", "-Xmx1g",
      "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener"};

  private MirrorBench() {}

  /** One timed command: the command's own seconds, the process's wall seconds, what it copied. */
  private record Run(double seconds, double wallSeconds, long files, long bytes, String note, double cpu,
      double others) {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "child-distcp" -> childDistCp(Path.of(args[1]), args[2], args[3]);
      default -> drive(Path.of(args[0]).toAbsolutePath(), args.length > 1 ? Integer.parseInt(args[1]) : 3);
    }
  }

  // ----------------------------------------------------------------------------------------------- children

  /** {@code hadoop distcp -update -m 2 SRC DST}, in-process as CopyEngines runs it; prints its seconds. */
  private static void childDistCp(Path work, String source, String target) throws Exception {
    long t = System.nanoTime();
    Configuration conf = new Configuration();
    conf.set("mapreduce.framework.name", "local");
    conf.setInt("mapreduce.local.map.tasks.maximum", 2);
    conf.set("mapreduce.jobtracker.staging.root.dir", work.resolve("distcp-staging").toUri().toString());
    conf.set("mapreduce.cluster.local.dir", work.resolve("distcp-local").toString());
    int rc = ToolRunner.run(conf, new DistCp(conf, null), new String[] {"-update", "-m", "2", source, target});
    double s = (System.nanoTime() - t) / 1e9;
    System.out.printf(Locale.ROOT, "SYNCBENCH seconds=%.4f rc=%d cpu=%.3f%n", s, rc, FanoutChild.processCpu());
    System.out.flush();
    System.exit(rc);
  }

  /**
   * The Fanout side of every timed run, started with the launcher's class path ({@code fanout.jar} and its
   * {@code lib/}, first) and this jar: nothing of Hadoop's DistCp or minicluster is loaded, and the launcher's
   * logging configuration applies. {@code phases HOME db.table INSTANCE} prints where a cold sync's time goes;
   * any other arguments are fanout's ({@code --home A sync ...}): it runs {@code dev.fanout.cli.Main.run} with them
   * and prints its seconds.
   */
  public static final class FanoutChild {
    private FanoutChild() {}

    public static void main(String[] args) throws Exception {
      if (args[0].equals("phases")) {
        phases(Path.of(args[1]), args[2], args[3]);
        return;
      }
      long t = System.nanoTime();
      int rc = Main.run(args);
      double s = (System.nanoTime() - t) / 1e9;
      System.out.printf(Locale.ROOT, "SYNCBENCH seconds=%.4f rc=%d cpu=%.3f%n", s, rc, processCpu());
      System.out.flush();
      System.exit(rc);
    }

    /**
     * Where a cold {@code fanout sync} that finds nothing to do spends its time: the steps it takes before it
     * knows, one by one with the same public classes, in a fresh JVM; then the whole command twice more in the
     * same (now warm) JVM. The driver runs it once after the rounds, on {@code bench.many}.
     */
    private static void phases(Path home, String table, String destination) throws Exception {
      Map<String, Double> phases = new LinkedHashMap<>();
      long t = System.nanoTime();
      long start = t;
      FanoutHome fanoutHome = new FanoutHome(home);
      try (Instance instance = Instance.open(fanoutHome)) {
        t = lap(phases, "open this instance (metadata database with Flyway, cluster)", t);
        RemoteInstance remote = instance.remoteInstances().find(destination).orElseThrow();
        Table source = instance.catalog().find(TableName.parse(table)).orElseThrow();
        t = lap(phases, "open this lake catalog (Iceberg JdbcCatalog), load the source table", t);
        Credentials credentials = instance.credentials(remote.sealedDbCredentials());
        MetadataDatabase db = MetadataDatabase.open(remote.dbUrl(), credentials.user(), credentials.password(), false);
        t = lap(phases, "open the destination's metadata database (no Flyway)", t);
        try (LakeCatalog lake = new LakeCatalog(db, remote.cluster(instance.cluster().conf()))) {
          t = lap(phases, "open the destination's lake catalog (Iceberg JdbcCatalog)", t);
          Table target = lake.find(TableName.parse(table)).orElseThrow();
          t = lap(phases, "load the destination table", t);
          int files = 0;
          for (ManifestFile m : target.currentSnapshot().allManifests(target.io())) {
            try (ManifestReader<DataFile> reader = ManifestFiles.read(m, target.io(), target.specs())) {
              for (DataFile ignored : reader) {
                files++;
              }
            }
          }
          t = lap(phases, "read every manifest of the destination (" + files + " live files)", t);
        } finally {
          db.close();
        }
      }
      t = lap(phases, "close both", t);
      // the same openings again, now that their classes are loaded and compiled
      try (Instance instance = Instance.open(fanoutHome)) {
        t = lap(phases, "warm: open this instance again (Flyway included)", t);
        Credentials own = fanoutHome.metadataCredentials();
        MetadataDatabase.open(fanoutHome.settings().metadataUrl(), own.user(), own.password(), false).close();
        t = lap(phases, "warm: open its metadata database without Flyway", t);
        instance.catalog().find(TableName.parse(table)).orElseThrow();
        t = lap(phases, "warm: open this lake catalog, load the source table", t);
        RemoteInstance remote = instance.remoteInstances().find(destination).orElseThrow();
        try (Instance lake = instance.openRemote(remote)) {
          lake.catalog();
          t = lap(phases, "warm: open the destination's database and lake catalog", t);
        }
      }
      phases.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-72s %6.2f s%n", k, v));
      System.out.printf(Locale.ROOT, "  %-72s %6.2f s%n", "total", (t - start) / 1e9);
      for (int i = 0; i < 2; i++) {
        long s = System.nanoTime();
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int rc;
        try {
          rc = Main.run("--home", home.toString(), "sync", "--table", table, "--to", destination);
        } finally {
          System.setOut(out);
        }
        System.out.printf(Locale.ROOT, "  fanout sync again in this JVM (rc %d): %.2f s%n", rc,
            (System.nanoTime() - s) / 1e9);
      }
      System.out.printf(Locale.ROOT, "SYNCBENCH seconds=0 rc=0 cpu=%.3f%n", processCpu());
    }

    /** CPU seconds of this JVM so far, every thread (JIT, GC) included. */
    static double processCpu() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static long lap(Map<String, Double> phases, String name, long since) {
      long now = System.nanoTime();
      phases.put(name, (now - since) / 1e9);
      return now;
    }
  }

  // ----------------------------------------------------------------------------------------------- driver

  private static void drive(Path work, int rounds) throws Exception {
    int bigFiles = Integer.getInteger("big.files", 64);
    long bigBytes = Long.getLong("big.mib", 16) << 20;
    int manyFiles = Integer.getInteger("many.files", 1000);
    long manyBytes = Long.getLong("many.kib", 100) << 10;
    Files.createDirectories(work.resolve("logs"));
    Path a = work.resolve("a");
    Path b = work.resolve("b");
    long t0 = System.nanoTime();
    fanout("--home", a.toString(), "init");
    fanout("--home", b.toString(), "init", "--cluster-name", "b");
    addInstance(a, "b", b);
    for (int r = 0; r < rounds; r++) {
      Path br = work.resolve("b" + r);
      fanout("--home", br.toString(), "init", "--cluster-name", "b" + r);
      addInstance(a, "b" + r, br);
    }
    String big = "bench.big";
    String many = "bench.many";
    Map<String, Object> bigInfo = createTable(a, big, bigFiles, bigBytes, 4, 1);
    Map<String, Object> manyInfo = createTable(a, many, manyFiles, manyBytes, 10, 100);
    Path bigDir = (Path) bigInfo.get("dir");
    Path manyDir = (Path) manyInfo.get("dir");
    System.out.printf(Locale.ROOT, "setup: %s %s; %s %s (%.1f s)%n", big, describe(bigDir), many, describe(manyDir),
        (System.nanoTime() - t0) / 1e9);

    // the starting point of cases 2 and 3 on each side, untimed: the replica on b, a copy of the directory
    fanout("--home", a.toString(), "sync", "--table", many, "--to", "b");
    Path distcpTarget = work.resolve("distcp-target/many");
    Files.createDirectories(distcpTarget.getParent());
    run("cp", "-r", manyDir.toString(), distcpTarget.toString());

    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      boolean fanoutFirst = round % 2 == 0;
      System.out.printf("round %d (%s first)%n", round + 1, fanoutFirst ? "fanout" : "the alternative");
      // 1. first sync of 1 GiB in 64 files vs cp -r of the table's directory
      int r = round;
      Path cpTarget = work.resolve("cp-target/big-" + round);
      Files.createDirectories(cpTarget.getParent());
      pair(fanoutFirst,
          () -> add(runs, "1 fanout", timedFanout(work, "big-" + r, "--home", a.toString(), "sync", "--table", big,
              "--to", "b" + r)),
          () -> add(runs, "1 cp", timedCp(bigDir, cpTarget)));
      run("rm", "-rf", cpTarget.toString());

      // 2. one append of ~1 MB, then sync vs DistCp -update
      appendOne(a, many, 1 << 20);
      pair(fanoutFirst,
          () -> add(runs, "2 fanout", timedFanout(work, "many-" + r, "--home", a.toString(), "sync", "--table", many,
              "--to", "b")),
          () -> add(runs, "2 distcp", timedDistCp(work, "many-" + r, manyDir, distcpTarget)));

      // 3. nothing changed
      pair(fanoutFirst,
          () -> add(runs, "3 fanout", timedFanout(work, "nothing-" + r, "--home", a.toString(), "sync", "--table",
              many, "--to", "b")),
          () -> add(runs, "3 distcp", timedDistCp(work, "nothing-" + r, manyDir, distcpTarget)));
      run("rm", "-rf", work.resolve("b" + r + "/cluster").toString());
    }

    System.out.println();
    System.out.println("medians of " + rounds + " rounds (command's own time | whole process, JVM start included):");
    String[][] cases = {{"1", "first sync, " + describe(bigDir), "cp -r"},
        {"2", "after 1 append of ~1 MB to the " + manyFiles + "-file table", "distcp -update"},
        {"3", "nothing changed, the same table", "distcp -update"}};
    for (String[] c : cases) {
      Run f = median(runs.get(c[0] + " fanout"));
      Run alt = median(runs.get(c[0] + (c[2].equals("cp -r") ? " cp" : " distcp")));
      Run fWall = medianWall(runs.get(c[0] + " fanout"));
      Run altWall = medianWall(runs.get(c[0] + (c[2].equals("cp -r") ? " cp" : " distcp")));
      System.out.printf(Locale.ROOT, "case %s, %s:%n", c[0], c[1]);
      System.out.printf(Locale.ROOT, "  fanout sync    %7.2f s | %6.2f s  CPU %5.1f s  copied %d files, %s  %s%n",
          f.seconds(), fWall.wallSeconds(), f.cpu(), f.files(), mb(f.bytes()), f.note());
      System.out.printf(Locale.ROOT, "  %-14s %7.2f s | %6.2f s  CPU %5.1f s  copied %d files, %s  %s%n", c[2],
          alt.seconds(), altWall.wallSeconds(), alt.cpu(), alt.files(), mb(alt.bytes()), alt.note());
      System.out.printf(Locale.ROOT, "  %s / fanout: %.2fx (whole process %.2fx)%n", c[2], alt.seconds() / f.seconds(),
          altWall.wallSeconds() / fWall.wallSeconds());
    }
    System.out.println("every run (seconds | wall):");
    runs.forEach((k, v) -> System.out.println("  " + k + ": " + v.stream().map(x -> String.format(Locale.ROOT,
        "%.2f|%.2f", x.seconds(), x.wallSeconds())).toList()));
    System.out.println();
    System.out.println("where a cold 'fanout sync' of " + many + " with nothing to sync spends its time (one run):");
    List<String> command = new ArrayList<>(List.of(JAVA));
    command.addAll(List.of("-cp", launcherClassPath(), FanoutChild.class.getName(), "phases", a.toString(), many, "b"));
    run("sync");
    child(work, "phases", command).lines().stream().filter(l -> !l.startsWith("SYNCBENCH"))
        .forEach(System.out::println);
    System.out.println("child logs: " + work.resolve("logs"));
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void pair(boolean fanoutFirst, Body fanout, Body other) throws Exception {
    if (fanoutFirst) {
      fanout.run();
      other.run();
    } else {
      other.run();
      fanout.run();
    }
  }

  private static void add(Map<String, List<Run>> runs, String key, Run run) {
    runs.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
    System.out.printf(Locale.ROOT, "  %-9s %6.2f s (process %6.2f s, CPU %5.1f s, others %s) %d files, %s %s%n", key,
        run.seconds(), run.wallSeconds(), run.cpu(), Double.isNaN(run.others()) ? "n/a" : String.format(Locale.ROOT,
        "%.2f cores", run.others()), run.files(), mb(run.bytes()), run.note());
  }

  private static Run median(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Double.compare(x.seconds(), y.seconds()));
    return sorted.get(sorted.size() / 2);
  }

  private static Run medianWall(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort((x, y) -> Double.compare(x.wallSeconds(), y.wallSeconds()));
    return sorted.get(sorted.size() / 2);
  }

  private static Run timedFanout(Path work, String label, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(JAVA));
    String jfr = System.getProperty("syncbench.jfr");  // -Dsyncbench.jfr=DIR records each fanout child
    if (jfr != null) {
      command.add("-XX:StartFlightRecording=filename=" + jfr + "/fanout-" + label + ".jfr,settings=profile");
    }
    command.addAll(List.of("-cp", launcherClassPath(), FanoutChild.class.getName()));
    command.addAll(List.of(args));
    run("sync");
    Child child = child(work, "fanout-" + label, command);
    String summary = child.lines().stream().filter(l -> l.contains(" to b")).findFirst().orElse("?");
    Matcher m = SUMMARY.matcher(summary);
    long files = 0;
    long bytes = 0;
    if (m.find()) {
      files = Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
      bytes = Math.round(Double.parseDouble(m.group(4)) * 1e6);
    }
    String note = summary.contains("nothing to sync") ? "(nothing to sync)"
        : summary.replaceAll(".*: (first sync|incremental|full copy).*( in [0-9.]+ s).*", "($1,$2 inside the command)");
    return new Run(child.seconds(), child.wallSeconds(), files, bytes, note, child.cpu(), child.others());
  }

  /** fanout.jar (its manifest names its lib/), then this jar for FanoutChild. */
  private static String launcherClassPath() throws Exception {
    Path fanoutJar = Path.of(System.getProperty("syncbench.fanout.jar", "fanout-core/target/fanout.jar"))
        .toAbsolutePath();
    if (!Files.exists(fanoutJar)) {
      throw new IllegalStateException(fanoutJar + " is missing; build with mvn -Pbench package -pl fanout-bench -am");
    }
    return fanoutJar + java.io.File.pathSeparator
        + Path.of(MirrorBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Run timedDistCp(Path work, String label, Path source, Path target) throws Exception {
    Map<String, long[]> before = listing(target);
    List<String> command = new ArrayList<>(List.of(JAVA));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MirrorBench.class.getName(), "child-distcp",
        work.toString(), source.toUri().toString(), target.toUri().toString()));
    run("sync");
    Child child = child(work, "distcp-" + label, command);
    // what it wrote: files new or rewritten (length or modification time changed), Hadoop's .crc side files apart
    long files = 0;
    long bytes = 0;
    int crc = 0;
    for (Map.Entry<String, long[]> e : listing(target).entrySet()) {
      long[] old = before.get(e.getKey());
      if (old == null || old[0] != e.getValue()[0] || old[1] != e.getValue()[1]) {
        if (e.getKey().endsWith(".crc")) {
          crc++;
        } else {
          files++;
          bytes += e.getValue()[0];
        }
      }
    }
    return new Run(child.seconds(), child.wallSeconds(), files, bytes,
        "(of " + listing(source).size() + " files listed and compared" + (crc > 0 ? "; + " + crc + " .crc files" : "")
            + ")", child.cpu(), child.others());
  }

  private static Run timedCp(Path source, Path target) throws Exception {
    run("sync");
    quiet();
    long busy = busyJiffies();
    long t = System.nanoTime();
    run("cp", "-r", source.toString(), target.toString());
    double s = (System.nanoTime() - t) / 1e9;
    double machine = (busyJiffies() - busy) / 100.0;
    Map<String, long[]> copied = listing(target);
    long bytes = copied.values().stream().mapToLong(v -> v[0]).sum();
    // cp's own CPU is not known here: its "CPU" is the whole machine's busy seconds during the copy
    return new Run(s, s, copied.size(), bytes, "(data and metadata; the table is not registered)", machine,
        Double.NaN);
  }

  private record Child(double seconds, double wallSeconds, List<String> lines, double cpu, double others) {}

  private static Child child(Path work, String label, List<String> command) throws Exception {
    quiet();
    long busy = busyJiffies();
    long t = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectError(work.resolve("logs/" + label + ".err").toFile()).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    int rc = p.waitFor();
    double wall = (System.nanoTime() - t) / 1e9;
    Files.write(work.resolve("logs/" + label + ".out"), lines);
    String result = lines.stream().filter(l -> l.startsWith("SYNCBENCH ")).findFirst().orElse(null);
    if (rc != 0 || result == null) {
      throw new IllegalStateException(label + " exited " + rc + "; see " + work.resolve("logs/" + label + ".err"));
    }
    double machine = (busyJiffies() - busy) / 100.0;
    double seconds = Double.parseDouble(result.replaceAll(".*seconds=([0-9.]+).*", "$1"));
    double cpu = Double.parseDouble(result.replaceAll(".*cpu=([0-9.]+).*", "$1"));
    // the machine's busy CPU seconds during the run, less this child's: the other processes' share, in cores
    return new Child(seconds, wall, lines, cpu, Math.max(0, machine - cpu) / wall);
  }

  // ----------------------------------------------------------------------------------------------- setup

  /** An untimed setup command; its output is shown only when it fails. */
  private static void fanout(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      rc = Main.run(args);
    } finally {
      System.setOut(out);
    }
    if (rc != 0) {
      throw new IllegalStateException("fanout " + String.join(" ", args) + " exited " + rc + ": "
          + captured.toString(StandardCharsets.UTF_8));
    }
  }

  private static void addInstance(Path home, String name, Path remote) {
    fanout("--home", home.toString(), "instance", "add", name, "--db-url",
        "jdbc:h2:file:" + remote.resolve("metadata/fanout") + ";AUTO_SERVER=TRUE", "--user", "", "--fs", "file:///",
        "--basedir", remote.resolve("cluster").toString());
  }

  private static void edit(Path home, String table, Consumer<Table> action) {
    try (Instance instance = Instance.open(new FanoutHome(home))) {
      action.accept(instance.catalog().catalog().loadTable(TableIdentifier.parse(table)));
    }
  }

  /**
   * Creates {@code table} (format 2, unpartitioned) with {@code files} Parquet data files of about
   * {@code bytesEach}, committed in {@code commits} appends. Only {@code distinct} of them are written row by
   * row; the others are byte copies of those under their own names (still real data files of the table).
   */
  private static Map<String, Object> createTable(Path home, String table, int files, long bytesEach, int distinct,
      int commits) {
    try (Instance instance = Instance.open(new FanoutHome(home))) {
      TableIdentifier id = TableIdentifier.parse(table);
      instance.catalog().ensureNamespace(id.namespace().level(0));
      instance.catalog().catalog().buildTable(id, SCHEMA).withProperties(Map.of("format-version", "2")).create();
    }
    Map<String, Object> info = new HashMap<>();
    edit(home, table, t -> {
      SplittableRandom random = new SplittableRandom(table.hashCode());
      List<DataFile> templates = new ArrayList<>();
      for (int i = 0; i < Math.min(distinct, files); i++) {
        templates.add(write(t, random, (long) i * 10_000_000L, bytesEach));
      }
      List<DataFile> all = new ArrayList<>(templates);
      for (int i = templates.size(); i < files; i++) {
        DataFile template = templates.get(i % templates.size());
        String to = t.locationProvider().newDataLocation("data-" + UUID.randomUUID() + ".parquet");
        try {
          Files.copy(local(template.location()), local(to));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        all.add(DataFiles.builder(t.spec()).copy(template).withPath(to).build());
      }
      int perCommit = (files + commits - 1) / commits;
      for (int from = 0; from < files; from += perCommit) {
        AppendFiles append = t.newAppend();
        all.subList(from, Math.min(files, from + perCommit)).forEach(append::appendFile);
        append.commit();
      }
      info.put("dir", local(t.location()));
    });
    return info;
  }

  private static void appendOne(Path home, String table, long bytes) {
    edit(home, table, t -> {
      DataFile f = write(t, new SplittableRandom(System.nanoTime()), System.nanoTime(), bytes);
      t.newAppend().appendFile(f).commit();
    });
  }

  /** One data file of random-ish rows (Parquet cannot compress them much) of about {@code bytes}. */
  private static DataFile write(Table t, SplittableRandom random, long firstId, long bytes) {
    String location = t.locationProvider().newDataLocation("data-" + UUID.randomUUID() + ".parquet");
    try {
      DataWriter<Record> writer = Parquet.writeData(t.io().newOutputFile(location)).schema(t.schema())
          .withSpec(t.spec()).createWriterFunc(GenericParquetWriter::create).overwrite().build();
      char[] ref = new char[20];
      try (writer) {
        Record r = GenericRecord.create(t.schema());
        for (long id = firstId; ; id++) {
          r.setField("id", id);
          r.setField("account", random.nextLong(1_000_000_000_000L));
          r.setField("amount", random.nextDouble() * 10_000);
          r.setField("qty", random.nextInt(1000));
          for (int i = 0; i < ref.length; i++) {
            ref[i] = (char) ('!' + random.nextInt(94));
          }
          r.setField("ref", new String(ref));
          writer.write(r);
          if ((id - firstId) % 1000 == 999 && writer.length() >= bytes) {
            break;
          }
        }
      }
      return writer.toDataFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ----------------------------------------------------------------------------------------------- helpers

  private static Path local(String location) {
    return Path.of(new org.apache.hadoop.fs.Path(location).toUri().getPath());
  }

  /** Every file under dir: relative path → {length, modification time}. */
  private static Map<String, long[]> listing(Path dir) throws IOException {
    Map<String, long[]> out = new HashMap<>();
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.put(dir.relativize(p).toString(), new long[] {Files.size(p), Files.getLastModifiedTime(p).toMillis()});
      }
    }
    return out;
  }

  /** Busy jiffies (1/100 s) of the whole machine, from /proc/stat: everything but idle and iowait. */
  private static long busyJiffies() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long busy = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      if (i != 4 && i != 5) {
        busy += Long.parseLong(f[i]);
      }
    }
    return busy;
  }

  /**
   * Waits (at most {@code -Dsyncbench.quiet.max} seconds, default 60) until the machine was below 0.25 busy
   * cores for a whole second, so that no other process's work lands in a timed run; says so when it waited.
   */
  private static void quiet() throws Exception {
    long deadline = System.nanoTime() + Long.getLong("syncbench.quiet.max", 60) * 1_000_000_000L;
    long waited = System.nanoTime();
    while (true) {
      long busy = busyJiffies();
      Thread.sleep(1000);
      double cores = (busyJiffies() - busy) / 100.0;
      if (cores < 0.25) {
        break;
      }
      if (System.nanoTime() > deadline) {
        System.out.printf(Locale.ROOT, "  (machine still busy, %.2f cores; running anyway)%n", cores);
        break;
      }
    }
    double s = (System.nanoTime() - waited) / 1e9;
    if (s > 1.5) {
      System.out.printf(Locale.ROOT, "  (waited %.0f s for a quiet machine)%n", s);
    }
  }

  private static String describe(Path dir) throws IOException {
    Map<String, long[]> all = listing(dir);
    long data = all.keySet().stream().filter(k -> k.startsWith("data/")).count();
    long bytes = all.values().stream().mapToLong(v -> v[0]).sum();
    return String.format(Locale.ROOT, "%d files (%d data), %s", all.size(), data, mb(bytes));
  }

  private static String mb(long bytes) {
    return bytes >= 10_000_000 ? String.format(Locale.ROOT, "%.0f MB", bytes / 1e6)
        : String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
