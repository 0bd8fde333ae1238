package dev.fanout.copy;

import static dev.fanout.copy.StagingFixture.conf;
import static dev.fanout.copy.StagingFixture.crc;
import static dev.fanout.copy.StagingFixture.read;
import static dev.fanout.copy.StagingFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copier on its own, file by file, on the local file system. */
class ParallelCopierTest {
  @TempDir java.nio.file.Path tmp;
  private FileSystem local;
  private Path source;
  private Path target;

  @BeforeEach
  void setUp() throws IOException {
    local = FileSystem.get(URI.create("file:///"), conf());
    source = new Path(tmp.resolve("source").toUri());
    target = new Path(tmp.resolve("target").toUri());
  }

  /** Files of random bytes at the source, each with its length and CRC-32C, to be copied to the target. */
  private List<FileCopy> files(int count, int bytesEach) throws IOException {
    List<FileCopy> files = new ArrayList<>();
    Random random = new Random(count);
    for (int i = 0; i < count; i++) {
      byte[] data = new byte[bytesEach];
      random.nextBytes(data);
      String name = "file-" + i;
      write(local, new Path(source, name), data);
      files.add(new FileCopy(new Path(source, name), new Path(target, name), bytesEach, crc(data)));
    }
    return files;
  }

  private List<String> targetNames() throws IOException {
    return java.util.Arrays.stream(local.listStatus(target)).map(s -> s.getPath().getName()).sorted().toList();
  }

  @Test
  void copiesEveryFileVerifiedAndReportsItsProgress() throws IOException {
    List<FileCopy> files = files(5, 300_000);
    AtomicLong progress = new AtomicLong();
    ParallelCopier copier = ParallelCopier.builder().threads(3).bufferBytes(64 * 1024).verifyReadback(true)
        .progress(progress::addAndGet).build();

    CopyResult result = copier.copy(local, local, files);

    assertThat(result.filesCopied()).isEqualTo(5);
    assertThat(result.filesSkipped()).isZero();
    assertThat(result.bytesCopied()).isEqualTo(5 * 300_000L).isEqualTo(progress.get());
    for (FileCopy f : files) {
      assertThat(read(local, f.target())).isEqualTo(read(local, f.source()));
    }
    assertThat(targetNames()).hasSize(5).noneMatch(name -> name.endsWith(".fanout-tmp"));

    CopyResult again = copier.copy(local, local, files);
    assertThat(again.filesCopied()).isZero();
    assertThat(again.filesSkipped()).isEqualTo(5);
    assertThat(again.bytesCopied()).isZero();
  }

  @Test
  void aSourceFileThatChangedLengthFails() throws IOException {
    FileCopy f = files(1, 1000).get(0);
    write(local, f.source(), new byte[999]);

    assertThatThrownBy(() -> ParallelCopier.builder().build().copy(local, local, List.of(f)))
        .isInstanceOf(CopyException.class)
        .hasMessage("Cannot copy " + f.source() + " to " + f.target() + ": the source file has 999 bytes, not 1000 as"
            + " recorded when it was written (it was changed or damaged).");
    assertThat(targetNames()).isEmpty();
  }

  @Test
  void oneFailureCallsOffTheWholeCopyAtOnceAndRemovesItsTemporaryFiles() throws IOException {
    List<FileCopy> files = new ArrayList<>(files(4, 1 << 20));
    Path missing = new Path(source, "missing");
    files.add(new FileCopy(missing, new Path(target, "missing"), 10, null));
    // at 1 MB/s the four good files would take four seconds; the missing one fails at once
    ParallelCopier copier = ParallelCopier.builder().threads(5).bandwidth(1 << 20).build();

    long start = System.nanoTime();
    assertThatThrownBy(() -> copier.copy(local, local, files))
        .isInstanceOf(CopyException.class)
        .hasMessageStartingWith("Cannot copy " + missing + " to " + new Path(target, "missing")
            + ": cannot open the source file (not found: ");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(2.0);
    assertThat(targetNames()).isEmpty();
  }

  @Test
  void readBackCatchesADestinationThatStoresOtherBytesThanItWasGiven() throws IOException {
    List<FileCopy> files = files(2, 10_000);
    FileSystem faulty = new BitFlippingFileSystem(local);

    assertThatThrownBy(() -> ParallelCopier.builder().verifyReadback(true).build().copy(local, faulty, files))
        .isInstanceOf(CopyException.class)
        .hasMessageContaining("the destination returns different bytes than it was given (CRC-32C ");
    assertThat(targetNames()).isEmpty();
  }

  @Test
  void aBandwidthLimitIsSharedByAllStreams() throws IOException {
    List<FileCopy> files = files(2, 1 << 20);
    ParallelCopier copier = ParallelCopier.builder().threads(2).bandwidth(1 << 20).build();

    long start = System.nanoTime();
    copier.copy(local, local, files);
    double seconds = (System.nanoTime() - start) / 1e9;

    // 2 MB at 1 MB/s: two streams of 1 MB/s each would finish in about one second
    assertThat(seconds).isBetween(1.5, 6.0);
  }

  @Test
  void twoCopiesToOneDestinationShareItsLimitWhileAnotherDestinationKeepsItsOwn() throws Exception {
    List<FileCopy> files = files(2, 1 << 20);
    String destination = "jdbc:h2:/clusters/b-" + System.nanoTime();
    ParallelCopier first = ParallelCopier.builder().threads(1).destinationBandwidth(destination, 1 << 20).build();
    ParallelCopier second = ParallelCopier.builder().threads(1).destinationBandwidth(destination, 1 << 20).build();

    double together = secondsToCopyAtOnce(first, files.get(0), second, files.get(1));
    // 2 MB to one destination limited to 1 MB/s: about two seconds, whichever copier moves them
    assertThat(together).isBetween(1.5, 6.0);

    ParallelCopier elsewhere = ParallelCopier.builder().threads(1)
        .destinationBandwidth(destination + "-other", 1 << 20).build();
    local.delete(target, true);
    double apart = secondsToCopyAtOnce(first, files.get(0), elsewhere, files.get(1));
    assertThat(apart).isLessThan(together - 0.4);
  }

  private double secondsToCopyAtOnce(ParallelCopier a, FileCopy fa, ParallelCopier b, FileCopy fb)
      throws Exception {
    long start = System.nanoTime();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var one = pool.submit(() -> a.copy(local, local, List.of(fa)));
      var two = pool.submit(() -> b.copy(local, local, List.of(fb)));
      assertThat(one.get().filesCopied() + two.get().filesCopied()).isEqualTo(2);
    } finally {
      pool.shutdown();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** A destination whose disk flips a bit in the first chunk of every file it stores. */
  private static final class BitFlippingFileSystem extends FilterFileSystem {
    BitFlippingFileSystem(FileSystem local) throws IOException {
      super(rawLocal(local));
    }

    private static FileSystem rawLocal(FileSystem local) throws IOException {
      RawLocalFileSystem raw = new RawLocalFileSystem();
      raw.initialize(URI.create("file:///"), local.getConf());
      return raw;
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
        short replication, long blockSize, Progressable progress) throws IOException {
      OutputStream disk = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
      return new FSDataOutputStream(new FilterOutputStream(disk) {
        private boolean flipped;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
          if (!flipped && len > 0) {
            copy[0] ^= 1;
            flipped = true;
          }
          disk.write(copy);
        }
      }, null);
    }
  }
}
