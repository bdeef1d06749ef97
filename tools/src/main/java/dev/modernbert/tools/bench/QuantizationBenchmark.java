package dev.modernbert.tools.bench;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.CompiledModelCache;
import dev.modernbert.inference.onnx.Int8Weights;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * int8 against fp32 on one random checkpoint, on the CPU, side by side in one process:
 * <ul>
 *   <li>quality: the pooled cosine of each JSQuAD paragraph's vector in int8 and fp32 (gate: ≥ {@value #GATE}),
 *       with the weights the engine runs here and with the {@link #otherWidth};
 *   <li>speed: tokens/s of batches of random tokens, the formats alternating run by run, and their ratio;
 *       beside it where the time goes: how much of the fp32 time the linear products take, how much faster int8
 *       runs them at these shapes, and so the most int8 can gain (attention stays fp32); and the speed of the
 *       other weight width, which shows why the engine runs the one it does here;
 *   <li>size: the bytes of each format's graph, its weights;
 *   <li>the roofline: fp32 and int8 throughput of this machine on one large GEMM.
 * </ul>
 */
public final class QuantizationBenchmark {
  /** The pooled cosine int8 must keep against fp32 for every paragraph. */
  static final double GATE = 0.998;

  /**
   * @param cells batches as {@code B×N} pairs: {@code cells[i] = {B, N}}
   * @param paragraphs how many JSQuAD validation paragraphs the quality check embeds
   */
  public record Options(ModelShape shape, int[][] cells, int runs, int paragraphs, Path workDir, int threads) {}

  /**
   * One measured batch shape: the model's seconds per batch in each format (and in int8 with the other weight
   * width), and the seconds its linear layers' products alone take at this batch's shapes in each format
   * ({@link MatMulProbe.Linear}).
   */
  record Cell(int batch, int length, double fp32Seconds, double int8Seconds, double otherWidthSeconds,
      double fp32GemmSeconds, double int8GemmSeconds) {
    double tokensPerSecond(double seconds) {
      return batch * (double) length / seconds;
    }

    double ratio() {
      return fp32Seconds / int8Seconds;
    }

    double otherWidthRatio() {
      return fp32Seconds / otherWidthSeconds;
    }

    /** How much of the fp32 model's time its linear products take. */
    double gemmShare() {
      return fp32GemmSeconds / fp32Seconds;
    }

    double gemmRatio() {
      return fp32GemmSeconds / int8GemmSeconds;
    }

    /**
     * The most int8 can gain here: the fp32 time with its linear products swapped for int8's, nothing else; NaN
     * when the products alone were timed slower than the whole model (this machine's speed drifted between them).
     */
    double bound() {
      return gemmShare() > 1 ? Double.NaN : fp32Seconds / (fp32Seconds - fp32GemmSeconds + int8GemmSeconds);
    }

    String boundText() {
      return Double.isNaN(bound()) ? "n/a" : String.format(Locale.ROOT, "%.2fx", bound());
    }
  }

  /** Pooled cosines int8 vs fp32 over the paragraphs. */
  record Quality(int texts, double min, double mean, double p1) {
    /** The cosines of {@code int8} against {@code fp32}, text by text. */
    static Quality of(List<float[]> fp32, List<float[]> int8) {
      double[] cosines = new double[fp32.size()];
      for (int i = 0; i < cosines.length; i++) {
        cosines[i] = Pooling.cosine(fp32.get(i), int8.get(i));
      }
      Arrays.sort(cosines);
      return new Quality(cosines.length, cosines[0], Arrays.stream(cosines).average().orElse(Double.NaN),
          cosines[cosines.length / 100]);
    }
  }

  private QuantizationBenchmark() {}

  /** Runs the benchmark, printing progress and the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    Path model = BenchCheckpoint.of(o.shape(), o.workDir(), out);
    Roofline roofline = new Roofline(MatMulProbe.gflops(2048, 5, o.threads()),
        MatMulProbe.int8Gflops(2048, 5, o.threads()));
    out.printf("ONNX Runtime MatMul 2048x2048x2048: fp32 %.1f GFLOP/s, uint8 x int8 %.1f GFLOP/s (%.2fx)%n",
        roofline.fp32(), roofline.int8(), roofline.ratio());
    Map<Quantization, LoadedModel> models = new EnumMap<>(Quantization.class);
    Map<Quantization, Long> weights = new EnumMap<>(Quantization.class);
    try {
      for (Quantization q : Quantization.values()) {
        models.put(q, LoadedModel.load(model, settings(o, q)));
        weights.put(q, graphBytes(models.get(q).folder(), q, o.workDir()));
        out.printf("loaded %s: %.1f MiB of weights%n", q.id(), PeakMemory.mib(weights.get(q)));
      }
      out.printf("int8 weights on this CPU: %s%n", Int8ProductProbe.exactWeights().description());
      try (LoadedModel otherModel = LoadedModel.load(model, settings(o, Quantization.INT8).withInt8Weights(
          otherWidth()))) {
        Map<Int8Weights, Quality> qualities = qualities(models, otherModel, o);
        List<Cell> cells = new ArrayList<>();
        for (int[] shape : o.cells()) {
          cells.add(measure(models, otherModel, shape[0], shape[1], o, out));
        }
        printTable(o, roofline, qualities, cells, weights, out);
        return report(o, roofline, qualities, cells, weights);
      }
    } finally {
      models.values().forEach(LoadedModel::close);
    }
  }

  /**
   * The width to compare with the engine's: where it runs plain 8 bits, the paired 8 bits of CPUs without VNNI;
   * elsewhere plain 8 bits, as unsigned weights (the same integers, exact on every CPU).
   */
  private static Int8Weights otherWidth() {
    return Int8ProductProbe.exactWeights() == Int8Weights.SIGNED_8_BIT ? Int8Weights.PAIRED_8_BIT
        : Int8Weights.UNSIGNED_8_BIT;
  }

  /**
   * The bytes of the CPU graph {@code folder} runs in format {@code q} (graph and external data): the weights
   * ONNX Runtime maps. (Resident memory in this process is no measure of it: the JVM's heap moves it more.)
   */
  private static long graphBytes(ModelFolder folder, Quantization q, Path workDir) throws IOException {
    CompileOptions fp32 = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false);
    Path graph = CompiledModelCache.graph(folder,
        q == Quantization.INT8 ? fp32.withInt8Weights(Int8ProductProbe.exactWeights()) : fp32,
        workDir.resolve("cache"));
    return Files.size(graph) + Files.size(graph.resolveSibling(CompiledModelCache.DATA_FILE));
  }

  private static EngineSettings settings(Options o, Quantization q) {
    return settings(o.workDir(), o.threads(), q);
  }

  /** The CPU, {@code threads} threads, graphs cached under {@code workDir}, in format {@code q}. */
  static EngineSettings settings(Path workDir, int threads, Quantization q) {
    return EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu")).withThreads(threads)
        .withCacheDir(workDir.resolve("cache")).withQuantization(q);
  }

  /** Large-GEMM throughput in each format: the most int8 can gain on the linear layers of this machine. */
  record Roofline(double fp32, double int8) {
    double ratio() {
      return int8 / fp32;
    }
  }

  /**
   * The paragraphs' cosines int8 vs fp32 with the weights this CPU's engine uses first, then with the
   * {@link #otherWidth}, which {@code otherModel} runs.
   */
  private static Map<Int8Weights, Quality> qualities(Map<Quantization, LoadedModel> models, LoadedModel otherModel,
      Options o) throws IOException {
    List<String> texts = JsquadCorpus.read(JsquadCorpus.locate()).paragraphs().stream().limit(o.paragraphs())
        .map(JsquadCorpus.Paragraph::text).toList();
    List<float[]> fp32 = vectors(embed(models.get(Quantization.NONE), texts));
    Map<Int8Weights, Quality> qualities = new LinkedHashMap<>();
    qualities.put(Int8ProductProbe.exactWeights(), Quality.of(fp32, vectors(embed(models.get(Quantization.INT8),
        texts))));
    qualities.put(otherWidth(), Quality.of(fp32, vectors(embed(otherModel, texts))));
    return qualities;
  }

  /** {@code texts} as documents (the model's document prefix, its token limit, normalized). */
  static List<TextEmbedder.Embedding> embed(LoadedModel m, List<String> texts) {
    return m.embedder(m.folder().maxTokens()).embed(texts, m.folder().profile().documentPrefix(), true);
  }

  static List<float[]> vectors(List<TextEmbedder.Embedding> embeddings) {
    return embeddings.stream().map(TextEmbedder.Embedding::vector).toList();
  }

  /**
   * fp32, int8 and int8 in the other width alternate run by run, fp32 and int8 each followed by a run of the linear
   * products alone in its format, so drifts of this machine's speed fall on all alike.
   */
  private static Cell measure(Map<Quantization, LoadedModel> models, LoadedModel otherModel, int batchSize,
      int length, Options o, PrintStream out) throws Exception {
    List<int[]> batch = new ArrayList<>();
    for (int b = 0; b < batchSize; b++) {
      batch.add(RandomTokens.ids(length, 1000L * length + b));
    }
    Map<Quantization, double[]> seconds = new EnumMap<>(Quantization.class);
    Map<Quantization, double[]> gemmSeconds = new EnumMap<>(Quantization.class);
    for (Quantization q : Quantization.values()) {
      models.get(q).encoder().embeddings(batch);
      seconds.put(q, new double[o.runs()]);
      gemmSeconds.put(q, new double[o.runs()]);
    }
    otherModel.encoder().embeddings(batch);
    double[] otherSeconds = new double[o.runs()];
    ModernBertConfig config = models.get(Quantization.NONE).folder().config();
    try (LayerProducts fp32 = LayerProducts.open(config, batchSize * length, false, o.threads());
        LayerProducts int8 = LayerProducts.open(config, batchSize * length, true, o.threads())) {
      for (int r = 0; r < o.runs(); r++) {
        for (Quantization q : Quantization.values()) {
          seconds.get(q)[r] = secondsOf(models.get(q), batch);
          gemmSeconds.get(q)[r] = (q == Quantization.INT8 ? int8 : fp32).seconds();
        }
        otherSeconds[r] = secondsOf(otherModel, batch);
      }
    }
    Cell c = new Cell(batchSize, length, Stats.median(seconds.get(Quantization.NONE)),
        Stats.median(seconds.get(Quantization.INT8)), Stats.median(otherSeconds),
        Stats.median(gemmSeconds.get(Quantization.NONE)), Stats.median(gemmSeconds.get(Quantization.INT8)));
    out.printf("  %dx%-5d fp32 %8.1f tok/s  int8 %8.1f tok/s  %.2fx (bound %s; %s weights %.2fx)%n", c.batch(),
        c.length(), c.tokensPerSecond(c.fp32Seconds()), c.tokensPerSecond(c.int8Seconds()), c.ratio(),
        c.boundText(), otherWidth().description(), c.otherWidthRatio());
    return c;
  }

  private static double secondsOf(LoadedModel model, List<int[]> batch) {
    long t0 = System.nanoTime();
    model.encoder().embeddings(batch);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The linear products of all layers for {@code tokens} tokens, as the compiled graph runs them: per layer Q, K, V
   * and the attention output (d → d each), the two GeGLU halves (d → I) and the MLP output (I → d).
   */
  private record LayerProducts(MatMulProbe.Linear square, MatMulProbe.Linear up, MatMulProbe.Linear down,
      int layers) implements AutoCloseable {
    static LayerProducts open(ModernBertConfig c, int tokens, boolean int8, int threads) throws Exception {
      int d = c.hiddenSize();
      int inter = c.intermediateSize();
      MatMulProbe.Linear square = MatMulProbe.Linear.open(tokens, d, d, int8, threads);
      try {
        MatMulProbe.Linear up = MatMulProbe.Linear.open(tokens, d, inter, int8, threads);
        try {
          return new LayerProducts(square, up, MatMulProbe.Linear.open(tokens, inter, d, int8, threads),
              c.numHiddenLayers());
        } catch (Exception | Error e) {
          up.close();
          throw e;
        }
      } catch (Exception | Error e) {
        square.close();
        throw e;
      }
    }

    /** Seconds of one run of every layer's products (each distinct shape run once, counted as often as it occurs). */
    double seconds() throws OrtException {
      return layers * (4 * square.seconds() + 2 * up.seconds() + down.seconds());
    }

    @Override
    public void close() throws Exception {
      try (square; up; down) {
        // closes all three, in reverse order, even when one fails
      }
    }
  }

  private static void printTable(Options o, Roofline roofline, Map<Int8Weights, Quality> qualities,
      List<Cell> cells, Map<Quantization, Long> weights, PrintStream out) {
    out.printf("%nbench int8: shape %s, CPU, median of %d runs, %s%n", o.shape().id(), o.runs(), Machine.describe());
    Int8Weights engine = Int8ProductProbe.exactWeights();
    qualities.forEach((format, q) -> out.printf("quality, %s weights%s: pooled cosine int8 vs fp32 over %d JSQuAD"
        + " paragraphs: min %.5f (gate ≥ %.3f: %s), mean %.6f%n", format.description(),
        format == engine ? " (what this CPU runs)" : "", q.texts(), q.min(), GATE, q.min() >= GATE ? "pass" : "FAIL",
        q.mean()));
    out.printf("weights: fp32 %.1f MiB, int8 %.1f MiB%n",
        PeakMemory.mib(weights.get(Quantization.NONE)), PeakMemory.mib(weights.get(Quantization.INT8)));
    out.printf("roofline: large GEMM fp32 %.1f GFLOP/s, uint8 x int8 %.1f GFLOP/s (%.2fx)%n", roofline.fp32(),
        roofline.int8(), roofline.ratio());
    out.println("| batch × tokens | fp32 tok/s | int8 tok/s | int8/fp32 | linear products' share of fp32 time |"
        + " their int8/fp32 at these shapes | bound | int8/fp32 with " + otherWidth().description() + " weights |");
    out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Cell c : cells) {
      out.printf("| %d × %d | %.0f | %.0f | %.2fx | %.0f%% | %.2fx | %s | %.2fx |%n", c.batch(), c.length(),
          c.tokensPerSecond(c.fp32Seconds()), c.tokensPerSecond(c.int8Seconds()), c.ratio(), 100 * c.gemmShare(),
          c.gemmRatio(), c.boundText(), c.otherWidthRatio());
    }
  }

  private static ObjectNode report(Options o, Roofline roofline, Map<Int8Weights, Quality> qualities,
      List<Cell> cells, Map<Quantization, Long> weights) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "int8");
    r.put("shape", o.shape().id());
    r.put("runs", o.runs());
    r.put("machine", Machine.describe());
    r.put("matmul_gflops", roofline.fp32());
    r.put("int8_matmul_gflops", roofline.int8());
    r.put("int8_weights", Int8ProductProbe.exactWeights().description());
    r.put("other_int8_weights", otherWidth().description());
    r.put("paragraphs", qualities.values().iterator().next().texts());
    r.put("cosine_gate", GATE);
    qualities.forEach((format, q) -> {
      String which = format == Int8ProductProbe.exactWeights() ? "" : "_other";
      r.put("min_cosine" + which, q.min());
      r.put("mean_cosine" + which, q.mean());
    });
    r.put("fp32_weight_bytes", weights.get(Quantization.NONE));
    r.put("int8_weight_bytes", weights.get(Quantization.INT8));
    ArrayNode rows = r.putArray("results");
    for (Cell c : cells) {
      ObjectNode row = rows.addObject();
      row.put("batch", c.batch());
      row.put("tokens", c.length());
      row.put("fp32_tokens_per_second", c.tokensPerSecond(c.fp32Seconds()));
      row.put("int8_tokens_per_second", c.tokensPerSecond(c.int8Seconds()));
      row.put("ratio", c.ratio());
      row.put("gemm_share", c.gemmShare());
      row.put("gemm_ratio", c.gemmRatio());
      if (Double.isNaN(c.bound())) {
        row.putNull("bound");
      } else {
        row.put("bound", c.bound());
      }
      row.put("other_weights_ratio", c.otherWidthRatio());
    }
    return r;
  }
}
