package dev.fanout.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A minimal Spark installation made from the build's Spark jars: {@code jars/} (links), {@code RELEASE}, and a
 * {@code bin/spark-submit} that does what Spark's own does (spark-class: Spark's launcher builds the java
 * command, Java 17 module options included, then it runs). So the engine's spark-submit path runs for real.
 */
final class SparkDistribution {
  private SparkDistribution() {}

  /** Creates the installation under {@code home}; returns its spark-submit. */
  static Path create(Path home, Path sparkClasspathFile) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : Files.readString(sparkClasspathFile).trim().split(java.io.File.pathSeparator)) {
      Path source = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
    }
    Files.writeString(home.resolve("RELEASE"), "Spark (fanout test installation)\n");
    Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
    Files.writeString(submit, String.join("\n",
        "#!/usr/bin/env bash",
        "export SPARK_HOME=\"$(cd \"$(dirname \"$0\")/..\" && pwd)\" SPARK_SCALA_VERSION=2.13",
        "printf '%s\\n' \"$*\" >> \"$SPARK_HOME/submitted\"   # what it was asked to run, for the test",
        "java=\"${JAVA_HOME:-" + System.getProperty("java.home") + "}/bin/java\"",
        // as spark-class: the launcher prints NUL + newline, then the command NUL-separated, then its exit status
        "cmd=()",
        "started=false",
        "while IFS= read -d '' -r arg; do",
        "  if $started; then cmd+=(\"$arg\"); else started=true; fi",
        "done < <(\"$java\" -Xmx128m -cp \"$SPARK_HOME/jars/*\" org.apache.spark.launcher.Main"
            + " org.apache.spark.deploy.SparkSubmit \"$@\"; printf '%d\\0' $?)",
        "cmd[0]=\"${cmd[0]#$'\\n'}\"",
        "last=$((${#cmd[@]} - 1))",
        "[ \"${cmd[$last]}\" = 0 ] || exit \"${cmd[$last]}\"",
        "exec \"${cmd[@]:0:$last}\"",
        ""));
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return submit;
  }

  /** The job's classes as a jar, as spark-submit wants its application (the module's jar comes after its tests). */
  static Path jobJar(Path classes, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, jarOut);
        jarOut.closeEntry();
      }
    }
    return jar;
  }
}
