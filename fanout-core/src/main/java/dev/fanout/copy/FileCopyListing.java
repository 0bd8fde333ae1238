package dev.fanout.copy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.tools.CopyListing;
import org.apache.hadoop.tools.CopyListingFileStatus;
import org.apache.hadoop.tools.DistCpContext;

/**
 * DistCp's input listing made from a list of {@link FileCopy}s instead of by walking source directories:
 * one entry per file, keyed by its target name under the job's target directory. DistCp keeps a file's
 * name when it walks a directory; this listing lets a file land under another name (a data file that
 * the local load renamed into its table, copied back to its staged name), and copies exactly the files
 * named, nothing else that lies next to them.
 */
final class FileCopyListing extends CopyListing {
  private final FileSystem from;
  private final List<FileCopy> files;
  private long bytes;

  /** @param files all with their target directly in the job's target directory */
  FileCopyListing(Configuration conf, Credentials credentials, FileSystem from, List<FileCopy> files) {
    super(conf, credentials);
    this.from = from;
    this.files = files;
  }

  @Override
  protected void validatePaths(DistCpContext context) {
    // the sources are read one by one below; a missing one fails there, named
  }

  @Override
  protected void doBuildListing(Path listing, DistCpContext context) throws IOException {
    FileSystem listingFs = listing.getFileSystem(getConf());
    listingFs.delete(listing, false);
    try (SequenceFile.Writer writer = SequenceFile.createWriter(getConf(), SequenceFile.Writer.file(listing),
        SequenceFile.Writer.keyClass(Text.class), SequenceFile.Writer.valueClass(CopyListingFileStatus.class),
        SequenceFile.Writer.compression(SequenceFile.CompressionType.NONE))) {
      for (FileCopy f : files) {
        FileStatus source = sourceStatus(f);
        // a chunk of the whole file, as DistCp's own listings have: its splits add these lengths up
        writer.append(new Text(Path.SEPARATOR + f.target().getName()),
            new CopyListingFileStatus(source, 0, source.getLen()));
        bytes += source.getLen();
      }
    }
  }

  private FileStatus sourceStatus(FileCopy f) throws IOException {
    try {
      return from.getFileStatus(f.source());
    } catch (FileNotFoundException e) {
      throw new SourceMissing(f, e);
    }
  }

  @Override
  protected long getBytesToCopy() {
    return bytes;
  }

  @Override
  protected long getNumberOfPaths() {
    return files.size();
  }

  /** A source file is not there: the copy fails before its job is submitted, naming the file. */
  static final class SourceMissing extends IOException {
    final FileCopy file;

    SourceMissing(FileCopy file, FileNotFoundException cause) {
      super(cause.getMessage(), cause);
      this.file = file;
    }
  }
}
