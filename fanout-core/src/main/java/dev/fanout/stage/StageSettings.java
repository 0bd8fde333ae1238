package dev.fanout.stage;

import dev.fanout.metadata.StageEngine;

import dev.fanout.failure.FanoutException;
import java.util.Properties;

/**
 * An instance's stage settings (in {@code fanout.properties}): the default engine of tables that name none,
 * and where the Spark engine runs.
 *
 * @param engine {@code stage.engine}: the default engine (local)
 * @param sparkMaster {@code spark.master}: {@code local[N]}, {@code local[*]} (the default), or a cluster's
 *     master URL ({@code spark://host:7077}, {@code yarn}, {@code k8s://...}), which needs {@code sparkSubmit}
 * @param sparkSubmit {@code spark.submit}: the {@code spark-submit} to start the job with (client deploy mode);
 *     null runs the job as a plain JVM with Fanout's build of Spark, local masters only
 * @param sparkJar {@code spark.jar}: the fanout-spark job jar (or classes directory); null finds the one built
 *     beside this Fanout ({@code fanout-spark/target/fanout-spark.jar})
 * @param sparkJavaOpts {@code spark.java-opts}: JVM options of a local job (default {@code -Xmx1g})
 */
public record StageSettings(StageEngine engine, String sparkMaster, String sparkSubmit, String sparkJar,
    String sparkJavaOpts) {
  public static final StageSettings DEFAULT = new StageSettings(StageEngine.LOCAL, "local[*]", null, null, "-Xmx1g");

  public StageSettings {
    engine = engine == null ? StageEngine.LOCAL : engine;
    sparkMaster = blank(sparkMaster) ? "local[*]" : sparkMaster.trim();
    sparkSubmit = blank(sparkSubmit) ? null : sparkSubmit.trim();
    sparkJar = blank(sparkJar) ? null : sparkJar.trim();
    sparkJavaOpts = sparkJavaOpts == null ? "-Xmx1g" : sparkJavaOpts.trim();
    if (!sparkMaster.startsWith("local") && sparkSubmit == null) {
      throw new FanoutException("Spark master " + sparkMaster + " is a cluster: name the spark-submit that reaches it"
          + " with --spark-submit (without one, Fanout runs Spark only as local[N]).");
    }
  }

  public static StageSettings from(Properties p) {
    String engine = p.getProperty("stage.engine");
    return new StageSettings(engine == null ? StageEngine.LOCAL : StageEngine.of(engine), p.getProperty("spark.master"),
        p.getProperty("spark.submit"), p.getProperty("spark.jar"), p.getProperty("spark.java-opts"));
  }

  public void store(Properties p) {
    p.setProperty("stage.engine", engine.code());
    p.setProperty("spark.master", sparkMaster);
    if (sparkSubmit != null) {
      p.setProperty("spark.submit", sparkSubmit);
    }
    if (sparkJar != null) {
      p.setProperty("spark.jar", sparkJar);
    }
    p.setProperty("spark.java-opts", sparkJavaOpts);
  }

  /** The engine of a table: its own choice, else this default. */
  public StageEngine engineFor(StageEngine tableChoice) {
    return tableChoice == null ? engine : tableChoice;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
