package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.onnx.CompileOptions.AttentionMode;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.DeviceSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Blocked vs full local attention on one random checkpoint, side by side in one process: tokens/s (median of
 * several runs after a warm-up), peak resident memory of each run, and achieved GFLOP/s against this
 * machine's ONNX Runtime MatMul throughput.
 */
public final class EngineBenchmark {
  /**
   * @param workDir where the random checkpoint and compiled graphs are kept between runs
   * @param threads ONNX Runtime intra-op threads (0 = all cores)
   */
  public record Options(ModelShape shape, int[] lengths, int batch, int runs, Path workDir, int threads, String device) {}

  /** One measured (length, mode) cell. */
  public record Cell(int length, AttentionMode mode, double medianSeconds, double tokensPerSecond, long peakBytes,
      double gflops, double flopsPerSequence) {}

  private EngineBenchmark() {}

  /** Runs the benchmark, printing progress and the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    Path model = BenchCheckpoint.of(o.shape(), o.workDir(), out);
    double matmul = MatMulProbe.gflops(2048, 5, o.threads());
    out.printf("ONNX Runtime MatMul 2048x2048x2048 fp32: %.1f GFLOP/s%n", matmul);
    Map<AttentionMode, LoadedModel> models = new EnumMap<>(AttentionMode.class);
    List<Cell> cells = new ArrayList<>();
    try {
      for (AttentionMode mode : AttentionMode.values()) {
        models.put(mode, LoadedModel.load(model, EngineSettings.defaults().withAttention(mode)
            .withDevice(DeviceSpec.parse(o.device())).withThreads(o.threads()).withCacheDir(o.workDir().resolve("cache"))));
      }
      ModernBertConfig config = models.get(AttentionMode.BLOCKED).folder().config();
      for (int n : o.lengths()) {
        List<int[]> batch = new ArrayList<>();
        for (int b = 0; b < o.batch(); b++) {
          batch.add(RandomTokens.ids(n, 1000L * n + b));
        }
        for (AttentionMode mode : AttentionMode.values()) {
          int keys = mode == AttentionMode.BLOCKED ? ModelFlops.blockedKeys(config, n) : n;
          Cell c = measure(models.get(mode), batch, n, mode, o.runs(), ModelFlops.perSequence(config, n, keys));
          cells.add(c);
          out.printf("  n=%-5d %-7s %9.1f tokens/s  peak %7.1f MiB  %6.1f GFLOP/s%n", n, mode, c.tokensPerSecond(),
              PeakMemory.mib(c.peakBytes()), c.gflops());
        }
      }
      String device = models.get(AttentionMode.BLOCKED).encoder().device();
      printTable(o, cells, matmul, out);
      return report(o, cells, matmul, device);
    } finally {
      models.values().forEach(LoadedModel::close);
    }
  }

  private static Cell measure(LoadedModel m, List<int[]> batch, int n, AttentionMode mode, int runs, double flops)
      throws Exception {
    m.encoder().embeddings(batch);
    double[] seconds = new double[runs];
    long peak = 0;
    for (int r = 0; r < runs; r++) {
      MeasuredRun run = MeasuredRun.of(() -> m.encoder().embeddings(batch));
      seconds[r] = run.seconds();
      peak = Math.max(peak, run.peakRiseBytes());
    }
    double median = Stats.median(seconds);
    return new Cell(n, mode, median, batch.size() * (double) n / median, peak, batch.size() * flops / median / 1e9,
        flops);
  }

  private static void printTable(Options o, List<Cell> cells, double matmul, PrintStream out) {
    out.printf("%nbench engine: shape %s, batch %d, median of %d runs, %d cores%n", o.shape().id(), o.batch(), o.runs(),
        Runtime.getRuntime().availableProcessors());
    out.println("| tokens | blocked tok/s | full tok/s | speed-up | blocked peak MiB | full peak MiB | memory | blocked GFLOP/s"
        + " (% of MatMul) |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int i = 0; i + 1 < cells.size(); i += 2) {
      Cell b = cells.get(i);
      Cell f = cells.get(i + 1);
      out.printf("| %d | %.0f | %.0f | %.2fx | %.0f | %.0f | %.2fx | %.1f (%.0f%%) |%n", b.length(), b.tokensPerSecond(),
          f.tokensPerSecond(), b.tokensPerSecond() / f.tokensPerSecond(), PeakMemory.mib(b.peakBytes()),
          PeakMemory.mib(f.peakBytes()), b.peakBytes() == 0 ? 0 : f.peakBytes() / (double) b.peakBytes(), b.gflops(),
          100 * b.gflops() / matmul);
    }
  }

  private static ObjectNode report(Options o, List<Cell> cells, double matmul, String device) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "engine");
    r.put("shape", o.shape().id());
    r.put("batch", o.batch());
    r.put("runs", o.runs());
    r.put("device", device);
    r.put("machine", Machine.describe());
    r.put("matmul_gflops", matmul);
    ArrayNode rows = r.putArray("results");
    for (Cell c : cells) {
      ObjectNode row = rows.addObject();
      row.put("tokens", c.length());
      row.put("attention", c.mode().name().toLowerCase(Locale.ROOT));
      row.put("median_seconds", c.medianSeconds());
      row.put("tokens_per_second", c.tokensPerSecond());
      row.put("peak_bytes", c.peakBytes());
      row.put("gflops", c.gflops());
      row.put("fraction_of_matmul", c.gflops() / matmul);
    }
    return r;
  }
}
