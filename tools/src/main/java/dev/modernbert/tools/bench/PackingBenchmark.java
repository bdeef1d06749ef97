package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.runtime.OnnxSessions;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Token packing side by side in one process: the first JSQuAD paragraphs, tokenized by the model's tokenizer,
 * embedded through the graph that packs the real tokens and the graph that runs every batch slot — in calls of a
 * bulk's worth of texts (batches with padding) and of one text (nothing to unpad) — both graphs in turn within
 * every run, so drift hits them alike; tokens/s as the median of the runs.
 */
public final class PackingBenchmark {
  /**
   * @param texts how many paragraphs
   * @param perCall texts per encoder call, one measurement each (a bulk of documents makes one call)
   * @param workDir where the random checkpoint and compiled graphs are kept between runs
   * @param threads ONNX Runtime intra-op threads (0 = all cores)
   */
  public record Options(ModelShape shape, int texts, int[] perCall, int runs, Path workDir, int threads,
      String device) {}

  /** One call size, both graphs. */
  public record Cell(int textsPerCall, double paddingRatio, double paddedTokensPerSecond,
      double packedTokensPerSecond) {}

  private PackingBenchmark() {}

  /** Runs the benchmark, printing progress and the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    ModelFolder folder = ModelFolder.open(BenchCheckpoint.of(o.shape(), o.workDir(), out));
    List<int[]> texts = paragraphs(folder, o.texts());
    long tokens = texts.stream().mapToLong(t -> t.length).sum();
    CompileOptions packed = new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(),
        false);
    List<Cell> cells = new ArrayList<>();
    String device;
    try (OnnxEncoder padded = encoder(folder, packed.withPackedTokens(false), o);
        OnnxEncoder packing = encoder(folder, packed, o)) {
      device = packing.device();
      for (int perCall : o.perCall()) {
        OnnxEncoder[] graphs = {padded, packing};
        double[][] seconds = new double[2][o.runs()];
        for (OnnxEncoder g : graphs) {
          embedInCalls(g, texts, perCall); // warm-up: ONNX Runtime plans each new shape once
        }
        long slotsBefore = padded.realTokens() + padded.paddedTokens();
        long padBefore = padded.paddedTokens();
        for (int r = 0; r < o.runs(); r++) {
          for (int g = 0; g < 2; g++) {
            long t0 = System.nanoTime();
            embedInCalls(graphs[g], texts, perCall);
            seconds[g][r] = (System.nanoTime() - t0) / 1e9;
          }
        }
        double padding = (double) (padded.paddedTokens() - padBefore)
            / (padded.realTokens() + padded.paddedTokens() - slotsBefore);
        Cell c = new Cell(perCall, padding, tokens / Stats.median(seconds[0]), tokens / Stats.median(seconds[1]));
        out.printf("  %d texts per call, padding %.3f: every slot %.0f tokens/s, packed %.0f tokens/s (%.3fx)%n",
            perCall, padding, c.paddedTokensPerSecond(), c.packedTokensPerSecond(), speedUp(c));
        cells.add(c);
      }
    }
    return report(o, device, texts.size(), tokens, cells);
  }

  private static List<int[]> paragraphs(ModelFolder folder, int count) throws Exception {
    List<int[]> ids = new ArrayList<>();
    try (ModelTokenizer tokenizer = ModelTokenizer.load(folder.dir())) {
      for (JsquadCorpus.Paragraph p : JsquadCorpus.read(JsquadCorpus.locate()).paragraphs()) {
        if (ids.size() == count) {
          break;
        }
        ids.add(tokenizer.ids(p.text()));
      }
    }
    return ids;
  }

  private static OnnxEncoder encoder(ModelFolder folder, CompileOptions graph, Options o) throws Exception {
    return GraphEncoders.open(folder, graph, o.workDir(), o.device(), o.threads(), OnnxSessions.CpuMemory.ARENA,
        EngineSettings.defaults()::batchTokensOn);
  }

  private static void embedInCalls(OnnxEncoder encoder, List<int[]> texts, int perCall) {
    for (int i = 0; i < texts.size(); i += perCall) {
      encoder.embeddings(texts.subList(i, Math.min(texts.size(), i + perCall)));
    }
  }

  static double speedUp(Cell c) {
    return c.packedTokensPerSecond() / c.paddedTokensPerSecond();
  }

  private static ObjectNode report(Options o, String device, int texts, long tokens, List<Cell> cells) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "packing");
    r.put("shape", o.shape().id());
    r.put("device", device);
    r.put("texts", texts);
    r.put("tokens", tokens);
    r.put("runs", o.runs());
    r.put("machine", Machine.describe());
    ArrayNode rows = r.putArray("results");
    for (Cell c : cells) {
      rows.addObject().put("texts_per_call", c.textsPerCall()).put("padding_ratio", c.paddingRatio())
          .put("every_slot_tokens_per_second", c.paddedTokensPerSecond())
          .put("packed_tokens_per_second", c.packedTokensPerSecond()).put("packed_speed_up", speedUp(c));
    }
    return r;
  }
}
