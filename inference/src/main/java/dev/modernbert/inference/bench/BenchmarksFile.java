package dev.modernbert.inference.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code BENCHMARKS.md}, written by the benchmark commands: each command owns one section between
 * {@code <!-- bench:ID -->} and {@code <!-- /bench:ID -->} and replaces it with its latest results, so the file
 * always holds what the commands last measured, never numbers typed by hand.
 */
public final class BenchmarksFile {
  private BenchmarksFile() {}

  /** Replaces section {@code id} of {@code file} with {@code markdown} (appended when the section is new). */
  public static void update(Path file, String id, String markdown) throws IOException {
    String begin = "<!-- bench:" + id + " -->";
    String end = "<!-- /bench:" + id + " -->";
    String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
    String section = begin + "\n" + markdown.strip() + "\n" + end;
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    String updated = from >= 0 && to > from ? text.substring(0, from) + section + text.substring(to + end.length())
        : text.stripTrailing() + "\n\n" + section + "\n";
    Files.writeString(file, updated, StandardCharsets.UTF_8);
  }
}
