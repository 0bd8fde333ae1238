package dev.fanout.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * One staged Parquet file as the job leaves it: its name in the staging directory, rows and size.
 *
 * @param split the split (Spark partition) it holds
 */
record StagedPart(int split, String name, long rows, long bytes) {
  /** Spark names a task's file part-NNNNN-&lt;job uuid&gt;-c000.snappy.parquet, NNNNN being its partition. */
  private static final Pattern SPARK_FILE = Pattern.compile("part-(\\d+)-.*\\.parquet");

  /**
   * Moves Spark's output files from {@code work} into the staging directory under the names Fanout's local
   * engine gives them ({@code part-<split>-00000.parquet}), drops files without rows (Spark writes one when
   * the whole read is empty) and removes {@code work}. Row counts come from each file's footer.
   */
  static List<StagedPart> place(Configuration conf, Path work, Path stagingDir) throws IOException {
    FileSystem fs = work.getFileSystem(conf);
    List<StagedPart> out = new ArrayList<>();
    for (FileStatus st : fs.listStatus(work)) {
      Matcher m = SPARK_FILE.matcher(st.getPath().getName());
      if (!st.isFile() || !m.matches()) {
        continue;
      }
      int split = Integer.parseInt(m.group(1));
      long rows;
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(st, conf))) {
        rows = reader.getRecordCount();
      }
      if (rows == 0) {
        fs.delete(st.getPath(), false);
        continue;
      }
      String name = String.format("part-%05d-00000.parquet", split);
      Path target = new Path(stagingDir, name);
      if (fs.exists(target) || !fs.rename(st.getPath(), target)) {
        throw new IOException("cannot move " + st.getPath() + " to " + target + " (two files for split " + split
            + ", or the rename failed)");
      }
      out.add(new StagedPart(split, name, rows, st.getLen()));
    }
    fs.delete(work, true);
    out.sort(Comparator.comparingInt(StagedPart::split));
    return out;
  }
}
