package dev.fanout.verify;

/**
 * The content of a set of rows in two numbers: how many, and the sum (mod 2^64) of a 64-bit hash of each
 * row. A sum does not depend on row order, and unlike XOR it tells a duplicated row from a missing one.
 */
public record Checksum(long rows, long sum) {
  public static final Checksum EMPTY = new Checksum(0, 0);

  public Checksum plus(Checksum other) {
    return new Checksum(rows + other.rows, sum + other.sum);
  }

  public Checksum plusRow(long rowHash) {
    return new Checksum(rows + 1, sum + rowHash);
  }

  public String hex() {
    return String.format("%016x", sum);
  }
}
