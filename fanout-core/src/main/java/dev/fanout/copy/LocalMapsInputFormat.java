package dev.fanout.copy;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.MRJobConfig;
import org.apache.hadoop.tools.mapred.UniformSizeInputFormat;

/**
 * DistCp's splits of even byte counts, for Hadoop's local job runner. That runner sets
 * {@code mapreduce.job.maps} to 1 when a job is submitted, after DistCp has set it to {@code -m}, so every
 * local DistCp would copy all files in one map, one after the other; this restores the number of maps
 * from {@link #MAPS} before the splits are made. Local mode only: on YARN the tasks, which make their
 * record readers with this class, would not find it.
 */
public final class LocalMapsInputFormat extends UniformSizeInputFormat {
  /** The job's number of maps, which the local job runner leaves alone. */
  static final String MAPS = "fanout.distcp.local.maps";
  /** The {@code -strategy} name under which DistCp finds this class. */
  static final String STRATEGY = "fanoutlocal";

  @Override
  public List<InputSplit> getSplits(JobContext context) throws IOException, InterruptedException {
    Configuration conf = context.getConfiguration();
    conf.setInt(MRJobConfig.NUM_MAPS, conf.getInt(MAPS, 1));
    return super.getSplits(context);
  }

  /** Makes a DistCp job with {@code -strategy fanoutlocal} split with this class into {@code maps} maps. */
  static void configure(Configuration jobConf, int maps) {
    jobConf.setClass("distcp." + STRATEGY + ".strategy.impl", LocalMapsInputFormat.class, UniformSizeInputFormat.class);
    jobConf.setInt(MAPS, maps);
  }
}
