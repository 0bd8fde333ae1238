package dev.fanout.cli;

import dev.fanout.failure.FanoutException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads a secret from standard input (one line), as {@code --password-stdin} promises. */
final class Stdin {
  /** One reader for the run: a second secret (init's catalog token) is the next line, not lost in a buffer. */
  private static BufferedReader in;
  private static java.io.InputStream of;

  private Stdin() {}

  private static synchronized BufferedReader in() {
    if (in == null || of != System.in) {
      of = System.in;
      in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return in;
  }

  static String readSecret() {
    return readSecret("--password-stdin", "password");
  }

  /** @param option the option that promised it, @param what what it is, for the prompt and the errors */
  static String readSecret(String option, String what) {
    try {
      if (System.console() != null) {
        char[] typed = System.console().readPassword(Character.toUpperCase(what.charAt(0)) + what.substring(1) + ": ");
        return typed == null ? "" : new String(typed);
      }
      String line = in().readLine();
      if (line == null) {
        throw new FanoutException(option + " was given but standard input is empty.");
      }
      return line;
    } catch (IOException e) {
      throw new FanoutException("Cannot read the " + what + " from standard input: " + e.getMessage(), e);
    }
  }
}
