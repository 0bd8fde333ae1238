package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a secret from standard input (one line), as {@code --password-stdin} promises. */
final class Stdin {
  private Stdin() {}

  static String readSecret() {
    try {
      if (System.console() != null) {
        char[] typed = System.console().readPassword("Password: ");
        return typed == null ? "" : new String(typed);
      }
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new FanoutException("--password-stdin was given but standard input is empty.");
      }
      return line;
    } catch (IOException e) {
      throw new FanoutException("Cannot read the password from standard input: " + e.getMessage(), e);
    }
  }
}
