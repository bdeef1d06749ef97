package dev.modernbert.inference.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.bench.BenchmarksFile;
import dev.modernbert.inference.bench.ChunkBenchmark;
import dev.modernbert.inference.bench.EngineBenchmark;
import dev.modernbert.inference.random.ModelShape;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code bench engine|chunk …}: the benchmarks of the inference module; results printed and saved as JSON. */
final class BenchCommand implements Main.Command {
  @Override
  public void run(List<String> argv) throws Exception {
    if (argv.isEmpty() || !(argv.get(0).equals("engine") || argv.get(0).equals("chunk"))) {
      throw new UsageException("which benchmark? (engine or chunk)");
    }
    Args a = Args.parse(argv.subList(1, argv.size()), Set.of(),
        Set.of("shape", "lengths", "batch", "runs", "work-dir", "threads", "device", "json", "sample-bytes"));
    Path work = Path.of(a.get("work-dir", System.getProperty("java.io.tmpdir") + "/modernbert-bench"));
    if (argv.get(0).equals("chunk")) {
      ModelShape shape = shape(a);
      write(a, "chunk-" + shape.id(), ChunkBenchmark.run(shape, a.intValue("sample-bytes", 200_000),
          a.intValue("runs", 3), work, System.out));
      return;
    }
    ModelShape shape = shape(a);
    int[] lengths;
    try {
      lengths = Arrays.stream(a.get("lengths", "512,2048,8192").split(",")).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new UsageException("--lengths must be comma-separated integers");
    }
    write(a, "engine-" + shape.id(), EngineBenchmark.run(new EngineBenchmark.Options(shape, lengths,
        a.intValue("batch", 1), a.intValue("runs", 3), work, a.intValue("threads", 0), a.get("device", "auto")),
        System.out));
  }

  private static ModelShape shape(Args a) {
    try {
      return ModelShape.parse(a.get("shape", "30m"));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void write(Args a, String name, ObjectNode report) throws java.io.IOException {
    Path json = Path.of(a.get("json", "bench-results/" + name + ".json"));
    BenchmarksFile.save(json, name, "`./modernbert bench " + name.replaceFirst("-", " --shape ") + "`", report);
    System.out.println("wrote " + json + " and BENCHMARKS.md");
  }

  @Override
  public String usage() {
    return "bench engine [--shape tiny|30m|70m|130m|310m] [--lengths 512,2048,8192] [--batch B] [--runs R]"
        + " [--threads T] [--device D] [--json FILE]  |  bench chunk [--shape S] [--sample-bytes N] [--runs R]";
  }
}
