package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.DeviceSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Token budgets per model call side by side in one process ({@code max_batch_tokens}): for each length, the
 * same texts embedded in calls of {@code budget / length} texts, every budget in turn within each run (so drift
 * hits all alike); tokens/s as the median of the runs, and each budget's speed relative to the default budget
 * of the device the model runs on — the default is always measured.
 */
public final class BatchBudgetBenchmark {
  /**
   * @param workDir where the random checkpoint and compiled graphs are kept between runs
   * @param threads ONNX Runtime intra-op threads (0 = all cores)
   */
  public record Options(ModelShape shape, int[] lengths, int[] budgets, int runs, Path workDir, int threads,
      String device) {}

  /** One measured (length, budget) cell. */
  public record Cell(int length, int budget, int textsPerCall, double tokensPerSecond) {}

  private BatchBudgetBenchmark() {}

  /** Runs the benchmark, printing progress and the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    Path model = BenchCheckpoint.of(o.shape(), o.workDir(), out);
    // the encoder's own budget is lifted so that the calls made here are the batches
    EngineSettings s = EngineSettings.defaults().withDevice(DeviceSpec.parse(o.device())).withThreads(o.threads())
        .withBatching(Integer.MAX_VALUE, EngineSettings.defaults().maxBatchPadding())
        .withCacheDir(o.workDir().resolve("cache"));
    try (LoadedModel m = LoadedModel.load(model, s)) {
      String device = m.encoder().device();
      int defaultBudget = EngineSettings.defaults().batchTokensOn(device);
      int[] budgets = withDefault(o.budgets(), defaultBudget);
      List<Cell> cells = new ArrayList<>();
      for (int n : o.lengths()) {
        cells.addAll(measure(m, n, budgets, o.runs(), out));
      }
      printTable(o, device, defaultBudget, cells, out);
      return report(o, device, defaultBudget, cells);
    }
  }

  /** {@code budgets} with {@code defaultBudget} added if missing, ascending, without repeats. */
  static int[] withDefault(int[] budgets, int defaultBudget) {
    return IntStream.concat(Arrays.stream(budgets), IntStream.of(defaultBudget)).distinct().sorted().toArray();
  }

  /** Texts per call for a budget: as many as fit, at least one. */
  static int textsPerCall(int budget, int length) {
    return Math.max(1, budget / length);
  }

  private static List<Cell> measure(LoadedModel m, int n, int[] budgets, int runs, PrintStream out) {
    // two calls' worth at the largest budget, so that every budget makes at least two calls
    int count = Math.max(2, 2 * textsPerCall(budgets[budgets.length - 1], n));
    List<int[]> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add(RandomTokens.ids(n, 7000L * n + i));
    }
    double[][] seconds = new double[budgets.length][runs];
    for (int b = 0; b < budgets.length; b++) {
      embedInCalls(m, texts, textsPerCall(budgets[b], n)); // warm-up: ONNX Runtime plans each new shape once
    }
    for (int r = 0; r < runs; r++) {
      for (int b = 0; b < budgets.length; b++) {
        long t0 = System.nanoTime();
        embedInCalls(m, texts, textsPerCall(budgets[b], n));
        seconds[b][r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (int b = 0; b < budgets.length; b++) {
      Cell c = new Cell(n, budgets[b], textsPerCall(budgets[b], n), (double) count * n / Stats.median(seconds[b]));
      out.printf("  n=%-5d budget %-6d (%d texts per call) %9.1f tokens/s%n", n, c.budget(), c.textsPerCall(),
          c.tokensPerSecond());
      cells.add(c);
    }
    return cells;
  }

  private static void embedInCalls(LoadedModel m, List<int[]> texts, int perCall) {
    for (int i = 0; i < texts.size(); i += perCall) {
      m.encoder().embeddings(texts.subList(i, Math.min(texts.size(), i + perCall)));
    }
  }

  /** Each cell's speed over that of the default budget at the same length. */
  static double versusDefault(List<Cell> cells, Cell c, int defaultBudget) {
    for (Cell d : cells) {
      if (d.length() == c.length() && d.budget() == defaultBudget) {
        return c.tokensPerSecond() / d.tokensPerSecond();
      }
    }
    throw new IllegalArgumentException("no default-budget cell for length " + c.length());
  }

  private static void printTable(Options o, String device, int defaultBudget, List<Cell> cells, PrintStream out) {
    out.printf("%nbench batching: shape %s on %s, default budget %d, median of %d runs, %d cores%n", o.shape().id(),
        device, defaultBudget, o.runs(), Runtime.getRuntime().availableProcessors());
    out.println("| tokens per text | budget | texts per call | tokens/s | vs default |");
    out.println("|---:|---:|---:|---:|---:|");
    for (Cell c : cells) {
      out.printf("| %d | %d | %d | %.0f | %.2fx |%n", c.length(), c.budget(), c.textsPerCall(), c.tokensPerSecond(),
          versusDefault(cells, c, defaultBudget));
    }
  }

  private static ObjectNode report(Options o, String device, int defaultBudget, List<Cell> cells) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "batching");
    r.put("shape", o.shape().id());
    r.put("device", device);
    r.put("default_budget", defaultBudget);
    r.put("runs", o.runs());
    r.put("machine", Machine.describe());
    ArrayNode rows = r.putArray("results");
    for (Cell c : cells) {
      rows.addObject().put("tokens_per_text", c.length()).put("budget", c.budget())
          .put("texts_per_call", c.textsPerCall()).put("tokens_per_second", c.tokensPerSecond())
          .put("vs_default", versusDefault(cells, c, defaultBudget));
    }
    return r;
  }
}
