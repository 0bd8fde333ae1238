package dev.fanout.copy;

import java.util.List;
import org.apache.hadoop.fs.FileSystem;

/**
 * Copies files from one Hadoop file system to another (or within one), with these guarantees:
 * <ul>
 *   <li>A file appears under its final name only whole and verified: never partly written, never with
 *       bytes other than those read from the source.</li>
 *   <li>A source file whose {@link FileCopy#crc32c() recorded CRC-32C} or length does not match what is
 *       read is damaged: the copy fails and nothing of that file reaches its final name.</li>
 *   <li>A file already under its final name with the expected length is skipped: only a verified copy
 *       is ever put there, so a copy that failed or was killed is resumed by calling again with the same
 *       list, and only what is missing is copied.</li>
 *   <li>Any failure fails the whole call with a {@link CopyException} that names the file and the
 *       reason; files already in place stay (they are complete), temporary files are removed.</li>
 * </ul>
 * There is no order among the files of one call; a caller that needs one file to appear after the
 * others (a manifest) copies it in a second call.
 */
public interface Copier {
  CopyResult copy(FileSystem from, FileSystem to, List<FileCopy> files);
}
