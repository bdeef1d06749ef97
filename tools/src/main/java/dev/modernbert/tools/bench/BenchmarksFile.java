package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code BENCHMARKS.md}, written by the benchmark commands: each command owns one section between
 * {@code <!-- bench:ID -->} and {@code <!-- /bench:ID -->} and replaces it with its latest results, so the file
 * always holds what the commands last measured, never numbers typed by hand.
 */
public final class BenchmarksFile {
  private BenchmarksFile() {}

  /**
   * A report as markdown: {@code title}, its top-level values on one line, then its {@code results} array as a
   * table (one column per field of the first row).
   */
  public static String markdown(String title, JsonNode report) {
    StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
    List<String> facts = new ArrayList<>();
    report.fields().forEachRemaining(e -> {
      if (e.getValue().isValueNode()) {
        facts.add(e.getKey() + ": " + format(e.getValue()));
      }
    });
    md.append(String.join(" · ", facts)).append("\n\n");
    JsonNode rows = report.path("results");
    if (rows.isEmpty()) {
      return md.toString();
    }
    List<String> columns = new ArrayList<>();
    rows.get(0).fieldNames().forEachRemaining(columns::add);
    md.append("| ").append(String.join(" | ", columns)).append(" |\n|").append("---|".repeat(columns.size()))
        .append('\n');
    for (JsonNode row : rows) {
      md.append("| ").append(String.join(" | ", columns.stream().map(c -> format(row.path(c))).toList()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String format(JsonNode v) {
    if (v.isNull()) {
      return "n/a";
    }
    if (v.isFloatingPointNumber()) {
      double d = v.asDouble();
      if (Math.abs(d) >= 0.99 && Math.abs(d) < 1) {
        return String.format(Locale.ROOT, "%.5f", d); // a cosine or recall near 1: 3 digits would round it to 1.00
      }
      return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3g", d);
    }
    return v.asText();
  }

  /**
   * The title of benchmark {@code bench}'s section: the command that made it, as it would be typed again —
   * {@code ./modernbert bench BENCH --shape SHAPE} and the other {@code options} it was given.
   */
  public static String commandTitle(String bench, String shape, String options) {
    return "`./modernbert bench " + bench + " --shape " + shape + options + "`";
  }

  /**
   * Saves a benchmark's report: as JSON in {@code json}, and as section {@code id} of {@code BENCHMARKS.md} in the
   * working directory, titled {@code title}.
   */
  public static void save(Path json, String id, String title, JsonNode report) throws IOException {
    save(json, id, title, report, null);
  }

  /** Like {@link #save(Path, String, String, JsonNode)}, with the image {@code figure} shown below the table. */
  public static void save(Path json, String id, String title, JsonNode report, Path figure) throws IOException {
    writeJson(json, report);
    String md = markdown(title, report);
    if (figure != null) {
      md += "\n![" + id + "](" + figure.toString().replace('\\', '/') + ")\n";
    }
    update(Path.of("BENCHMARKS.md"), id, md);
  }

  /** Writes {@code report} as pretty JSON to {@code json}, creating its folder. */
  public static void writeJson(Path json, JsonNode report) throws IOException {
    if (json.toAbsolutePath().getParent() != null) {
      Files.createDirectories(json.toAbsolutePath().getParent());
    }
    Files.writeString(json, report.toPrettyString() + "\n", StandardCharsets.UTF_8);
  }

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
