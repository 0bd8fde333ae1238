package dev.fanout.stage;

import java.io.IOException;
import java.util.zip.CRC32C;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * An output file that computes the CRC-32C of every byte as it is written, so the manifest can carry a
 * checksum of each staged file without reading it back.
 */
final class ChecksummingOutputFile implements OutputFile {
  private final OutputFile delegate;
  private final CRC32C crc = new CRC32C();

  ChecksummingOutputFile(OutputFile delegate) {
    this.delegate = delegate;
  }

  long checksum() {
    return crc.getValue();
  }

  @Override
  public PositionOutputStream create() {
    return wrap(delegate.create());
  }

  @Override
  public PositionOutputStream createOrOverwrite() {
    return wrap(delegate.createOrOverwrite());
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public InputFile toInputFile() {
    return delegate.toInputFile();
  }

  private PositionOutputStream wrap(PositionOutputStream out) {
    return new PositionOutputStream() {
      @Override
      public long getPos() throws IOException {
        return out.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        crc.update(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        crc.update(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
