package dev.fanout.cluster;

import dev.fanout.failure.FanoutException;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One cluster's file system and the instance's base directory on it. Every file Fanout writes goes
 * through the Hadoop FileSystem API, so file://, hdfs:// and s3a:// behave alike.
 */
public final class Cluster {
  private final String name;
  private final URI uri;
  private final Path basedir;
  private final Configuration conf;
  private final FileSystem fs;

  public Cluster(String name, URI uri, String basedir, Configuration conf) {
    this.name = name;
    this.uri = uri;
    this.conf = conf;
    try {
      this.fs = FileSystem.get(uri, conf);
      this.basedir = fs.makeQualified(new Path(basedir));
    } catch (IOException | IllegalArgumentException e) {
      throw new FanoutException("Cannot open the file system " + uri + " of cluster " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Hadoop configuration of Fanout's clusters. Local directories use the raw local file system:
   * Fanout checks every staged and copied file with its own CRC-32C, so Hadoop's {@code .crc} side files
   * would only double the work (a local copy runs at about half the speed with them) and clutter tables.
   */
  public static Configuration defaultConfiguration() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
    // Hadoop caches one local file system per JVM; without this, a checksummed one made first wins
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  public String name() {
    return name;
  }

  public URI uri() {
    return uri;
  }

  public FileSystem fs() {
    return fs;
  }

  public Configuration conf() {
    return conf;
  }

  public Path basedir() {
    return basedir;
  }

  /** Where the Iceberg catalog keeps table directories. */
  public Path warehouse() {
    return new Path(basedir, "warehouse");
  }

  /** {@code <basedir>/.staging/<db>/<table>} */
  public Path stagingRoot(String db, String table) {
    return new Path(new Path(new Path(basedir, ".staging"), db), table);
  }

  /** Creates the base directory if needed and checks that it is writable, with a clear error if not. */
  public void checkWritable() {
    Path probe = new Path(basedir, ".fanout-write-check-" + System.nanoTime());
    try {
      fs.mkdirs(basedir);
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw new FanoutException("The base directory " + basedir + " of cluster " + name + " is not writable: "
          + e.getMessage(), e);
    }
  }
}
