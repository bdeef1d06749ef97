package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.runtime.OnnxSessions.CpuMemory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * ONNX Runtime's CPU arena, shrunk after every run as the engine runs it, against one allocation per tensor, side
 * by side in one process: the engine's graph opened both ways, every model call made by both in turn within each
 * run, the first alternating (so drift, and what one leaves the other, hit them alike); median seconds, the
 * arena's speed-up, and how far resident memory rose during a call (the most over the runs).
 */
public final class ArenaBenchmark {
  /**
   * @param calls the model calls measured, each one run of the graph
   * @param workDir where the random checkpoint and compiled graphs are kept between runs
   * @param threads ONNX Runtime intra-op threads (0 = all cores)
   */
  public record Options(ModelShape shape, List<Call> calls, int runs, Path workDir, int threads) {}

  /** One model call: {@code texts} random texts of {@code tokens} tokens each. */
  public record Call(int tokens, int texts) {
    /** The most tokens one call may hold: far above any batch the engine makes, well below the heap. */
    public static final int MAX_TOKENS = 1 << 20;

    public Call {
      if (tokens < 1 || texts < 1 || (long) tokens * texts > MAX_TOKENS) {
        throw new IllegalArgumentException("a call holds 1 to " + MAX_TOKENS + " tokens, got " + tokens + "x" + texts);
      }
    }

    /**
     * The calls measured unless told otherwise: one 8192-token text, the batches the CPU engine makes of 2048-, 512-
     * and 128-token texts under its default budget, and a 24-token query; in {@link #parseList} form.
     */
    public static String defaults() {
      return IntStream.of(8192, 2048, 512, 128)
          .mapToObj(n -> n + "x" + BatchBudgetBenchmark.textsPerCall(EngineSettings.CPU_BATCH_TOKENS, n))
          .collect(Collectors.joining(",")) + ",24x1";
    }

    /** Parses {@code TOKENSxTEXTS[,TOKENSxTEXTS…]}, e.g. {@code 8192x1,512x16}. */
    public static List<Call> parseList(String spec) {
      List<Call> calls = new ArrayList<>();
      for (String item : spec.split(",")) {
        String[] parts = item.trim().split("x", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,9}")) {
          throw new IllegalArgumentException("a call is TOKENSxTEXTS (like 512x16), got '" + item + "'");
        }
        calls.add(new Call(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
      }
      return calls;
    }
  }

  /** One call measured both ways. */
  public record Cell(Call call, double arenaSeconds, double mallocSeconds, long arenaPeakRise, long mallocPeakRise) {
    /** How many times faster the call ran with the arena. */
    double speedUp() {
      return mallocSeconds / arenaSeconds;
    }
  }

  private ArenaBenchmark() {}

  /** Runs the benchmark on the CPU, printing progress and the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    ModelFolder folder = ModelFolder.open(BenchCheckpoint.of(o.shape(), o.workDir(), out));
    CompileOptions graph = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false);
    List<Cell> cells = new ArrayList<>();
    // budgets lifted: each call is one run of the graph, the shape the cell names
    try (OnnxEncoder arena = GraphEncoders.open(folder, graph, o.workDir(), "cpu", o.threads(), CpuMemory.ARENA,
            device -> Integer.MAX_VALUE);
        OnnxEncoder malloc = GraphEncoders.open(folder, graph, o.workDir(), "cpu", o.threads(), CpuMemory.NO_ARENA,
            device -> Integer.MAX_VALUE)) {
      for (Call call : o.calls()) {
        Cell c = measure(new OnnxEncoder[] {arena, malloc}, call, o.runs());
        out.printf("  %d tokens x %d texts: arena %.3f s, malloc %.3f s (%.2fx); peak rise %.0f / %.0f MiB%n",
            call.tokens(), call.texts(), c.arenaSeconds(), c.mallocSeconds(), c.speedUp(),
            PeakMemory.mib(c.arenaPeakRise()), PeakMemory.mib(c.mallocPeakRise()));
        cells.add(c);
      }
    }
    return report(o, cells);
  }

  /**
   * Both encoders in turn within every run, after one warm-up call each; which goes first alternates, since each
   * may find pages the other's run left with the C library.
   */
  private static Cell measure(OnnxEncoder[] encoders, Call call, int runs) throws Exception {
    List<int[]> texts = new ArrayList<>();
    for (int t = 0; t < call.texts(); t++) {
      texts.add(RandomTokens.ids(call.tokens(), 31L * call.tokens() + t));
    }
    for (OnnxEncoder e : encoders) {
      e.embeddings(texts);
    }
    double[][] seconds = new double[2][runs];
    long[] peak = new long[2];
    for (int r = 0; r < runs; r++) {
      for (int turn = 0; turn < 2; turn++) {
        int e = (r + turn) % 2;
        OnnxEncoder encoder = encoders[e];
        MeasuredRun run = MeasuredRun.of(() -> encoder.embeddings(texts));
        seconds[e][r] = run.seconds();
        peak[e] = Math.max(peak[e], run.peakRiseBytes());
      }
    }
    return new Cell(call, Stats.median(seconds[0]), Stats.median(seconds[1]), peak[0], peak[1]);
  }

  private static ObjectNode report(Options o, List<Cell> cells) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "arena");
    r.put("shape", o.shape().id());
    r.put("device", "cpu");
    r.put("runs", o.runs());
    r.put("machine", Machine.describe());
    ArrayNode rows = r.putArray("results");
    for (Cell c : cells) {
      rows.addObject().put("tokens_per_text", c.call().tokens()).put("texts", c.call().texts())
          .put("arena_seconds", c.arenaSeconds()).put("malloc_seconds", c.mallocSeconds())
          .put("arena_speed_up", c.speedUp()).put("arena_peak_rise_mib", PeakMemory.mib(c.arenaPeakRise()))
          .put("malloc_peak_rise_mib", PeakMemory.mib(c.mallocPeakRise()));
    }
    return r;
  }
}
