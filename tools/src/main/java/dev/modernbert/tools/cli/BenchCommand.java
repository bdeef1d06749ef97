package dev.modernbert.tools.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.tools.bench.ArenaBenchmark;
import dev.modernbert.tools.bench.BatchBudgetBenchmark;
import dev.modernbert.tools.bench.BenchmarksFile;
import dev.modernbert.tools.bench.ChunkBenchmark;
import dev.modernbert.tools.bench.EngineBenchmark;
import dev.modernbert.tools.bench.PackingBenchmark;
import dev.modernbert.tools.bench.QuantizationBenchmark;
import dev.modernbert.tools.bench.QuantizedRetrievalBenchmark;
import dev.modernbert.inference.random.ModelShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code bench engine|int8|batching|packing|arena|chunk …}: the benchmarks of the inference module; results printed and
 * saved as JSON.
 */
final class BenchCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    String which = argv.isEmpty() ? "" : argv.get(0);
    if (!Set.of("engine", "int8", "batching", "packing", "arena", "chunk").contains(which)) {
      throw new UsageException("which benchmark? (engine, int8, batching, packing, arena or chunk; query, ingest and"
          + " vs-neural run on a node)");
    }
    Args a = Args.parse(argv.subList(1, argv.size()), Set.of(), Set.of("shape", "lengths", "budgets", "batch", "runs",
        "work-dir", "threads", "device", "json", "sample-bytes", "texts", "per-call", "calls", "cells", "paragraphs", "model"));
    Path work = Path.of(a.get("work-dir", System.getProperty("java.io.tmpdir") + "/modernbert-bench"));
    ModelShape shape = shape(a);
    switch (which) {
      case "chunk" -> write(a, which, shape.id(), ChunkBenchmark.run(shape, a.intValue("sample-bytes", 200_000, 1),
          a.intValue("runs", 3, 1), work, System.out));
      case "batching" -> write(a, which, shape.id(), BatchBudgetBenchmark.run(new BatchBudgetBenchmark.Options(shape,
          a.ints("lengths", "96,384", 1), a.ints("budgets", "64,1024,2048,4096,8192,16384", 1),
          a.intValue("runs", 3, 1), work, a.intValue("threads", 0, 0), a.get("device", "auto")), System.out));
      case "packing" -> write(a, which, shape.id(), PackingBenchmark.run(new PackingBenchmark.Options(shape,
          a.intValue("texts", 400, 1), a.ints("per-call", "100,1", 1), a.intValue("runs", 3, 1), work,
          a.intValue("threads", 0, 0), a.get("device", "auto")), System.out));
      case "int8" -> write(a, which, a.get("model", null) != null ? Path.of(a.get("model", null)).getFileName().toString()
          : shape.id(), a.get("model", null) != null
          ? QuantizedRetrievalBenchmark.run(new QuantizedRetrievalBenchmark.Options(Path.of(a.get("model", null)),
              work, a.intValue("threads", 0, 0)), System.out)
          : QuantizationBenchmark.run(new QuantizationBenchmark.Options(shape, cells(a), a.intValue("runs", 5, 1),
              a.intValue("paragraphs", 500, 1), work, a.intValue("threads", 0, 0)), System.out));
      case "arena" -> write(a, which, shape.id(), ArenaBenchmark.run(new ArenaBenchmark.Options(shape, calls(a),
          a.intValue("runs", 5, 1), work, a.intValue("threads", 0, 0)), System.out));
      default -> write(a, which, shape.id(), EngineBenchmark.run(new EngineBenchmark.Options(shape,
          a.ints("lengths", "512,2048,8192", 1), a.intValue("batch", 1, 1), a.intValue("runs", 3, 1), work,
          a.intValue("threads", 0, 0), a.get("device", "auto")), System.out));
    }
  }

  private static ModelShape shape(Args a) {
    try {
      return ModelShape.parse(a.get("shape", "30m"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** {@code --cells 16x128,4x512}: batch × tokens pairs. */
  private static int[][] cells(Args a) {
    String spec = a.get("cells", "16x128,4x512,1x8192");
    try {
      return Arrays.stream(spec.split(",")).map(c -> c.split("x")).map(p -> new int[] {Integer.parseInt(p[0]),
          Integer.parseInt(p[1])}).peek(c -> {
            if (c[0] < 1 || c[1] < 1) {
              throw new NumberFormatException();
            }
          }).toArray(int[][]::new);
    } catch (RuntimeException e) {
      throw new UsageException("--cells must be BxN pairs such as 16x128,4x512, got " + spec);
    }
  }

  private static List<ArenaBenchmark.Call> calls(Args a) {
    try {
      return ArenaBenchmark.Call.parseList(a.get("calls", ArenaBenchmark.Call.defaults()));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--calls: " + e.getMessage());
    }
  }

  /**
   * Saves {@code report} as {@code bench-results/<which>-<shape>.json} and its BENCHMARKS.md section — or, with
   * {@code --json FILE}, as that file alone: a run with its own output is an experiment, not the record.
   */
  private static void write(Args a, String which, String id, ObjectNode report) throws IOException {
    String custom = a.get("json", null);
    if (custom != null) {
      BenchmarksFile.writeJson(Path.of(custom), report);
      System.out.println("wrote " + custom);
      return;
    }
    String name = which + "-" + id;
    Path json = Path.of("bench-results/" + name + ".json");
    String title = a.get("model", null) == null
        ? BenchmarksFile.commandTitle(which, id, a.given("shape", "json", "work-dir"))
        : "`./modernbert bench " + which + " --model " + id + a.given("model", "json", "work-dir") + "`";
    BenchmarksFile.save(json, name, title, report);
    System.out.println("wrote " + json + " and BENCHMARKS.md");
  }

  @Override
  public String usage() {
    return "bench engine [--shape tiny|30m|70m|130m|310m] [--lengths 512,2048,8192] [--batch B] [--runs R]"
        + " [--threads T] [--device D] [--json FILE]  |  bench batching [--shape S] [--lengths 96,384]"
        + " [--budgets 64,1024,2048,4096,8192,16384] [--runs R] [--threads T] [--device D]  |  bench packing"
        + " [--shape S] [--texts 400] [--per-call 100,1] [--runs R] [--threads T] [--device D]"
        + "  |  bench int8 [--shape S] [--cells 16x128,4x512,1x8192] [--runs R] [--paragraphs 500] [--threads T]"
        + "  |  bench int8 --model DIR [--threads T]"
        + "  |  bench arena [--shape S] [--calls " + ArenaBenchmark.Call.defaults() + "] [--runs R] [--threads T]"
        + "  |  bench chunk [--shape S] [--sample-bytes N] [--runs R]";
  }
}
