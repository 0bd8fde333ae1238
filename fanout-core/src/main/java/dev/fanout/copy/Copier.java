package dev.fanout.copy;

import java.util.List;
import org.apache.hadoop.fs.FileSystem;

/**
 * Copies files between two Hadoop file systems (or within one). A file appears under its final name
 * only whole and verified; a file already there with the right length is skipped, so a copy that
 * failed or was killed resumes with what is missing. Any failure fails the whole call.
 */
public interface Copier {
  CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files);
}
