package dev.modernbert.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.Quantization;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.model.JsonFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * int8 against fp32 on a real model folder (checkpoint or exported ONNX, e.g. bge-small-zh), on the CPU: every
 * JSQuAD validation paragraph embedded in each format (tokens/s side by side, pooled cosine between the two), and
 * Recall@10 and MRR@10 of every third question against all paragraphs by exact search in each format.
 */
public final class QuantizedRetrievalBenchmark {
  /** How much Recall@10 and MRR@10 int8 may lose. */
  static final double RECALL_GATE = 0.005;
  static final double MRR_GATE = 0.01;

  public record Options(Path model, Path workDir, int threads) {}

  /** What one format gave. */
  record Result(double tokensPerSecond, double recallAt10, double mrrAt10) {}

  private QuantizedRetrievalBenchmark() {}

  /** Runs the benchmark, printing the table to {@code out}; returns the JSON report. */
  public static ObjectNode run(Options o, PrintStream out) throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    List<String> paragraphs = corpus.paragraphs().stream().map(JsquadCorpus.Paragraph::text).toList();
    List<JsquadCorpus.Question> questions = new ArrayList<>();
    for (int i = 0; i < corpus.questions().size(); i += 3) {
      questions.add(corpus.questions().get(i));
    }
    Map<Quantization, Result> results = new EnumMap<>(Quantization.class);
    Map<Quantization, List<float[]>> documents = new EnumMap<>(Quantization.class);
    for (Quantization q : Quantization.values()) {
      try (LoadedModel m = LoadedModel.load(o.model(), QuantizationBenchmark.settings(o.workDir(), o.threads(), q))) {
        QuantizationBenchmark.embed(m, paragraphs.subList(0, 8));
        long t0 = System.nanoTime();
        List<TextEmbedder.Embedding> docs = QuantizationBenchmark.embed(m, paragraphs);
        double seconds = (System.nanoTime() - t0) / 1e9;
        documents.put(q, QuantizationBenchmark.vectors(docs));
        List<float[]> queries = QuantizationBenchmark.vectors(m.embedder(m.folder().maxTokens()).embed(
            questions.stream().map(JsquadCorpus.Question::text).toList(), m.folder().profile().queryPrefix(), true));
        double tokens = docs.stream().mapToInt(TextEmbedder.Embedding::tokens).sum();
        results.put(q, rank(tokens / seconds, documents.get(q), queries, questions));
      }
    }
    QuantizationBenchmark.Quality quality = QuantizationBenchmark.Quality.of(documents.get(Quantization.NONE),
        documents.get(Quantization.INT8));
    Result fp32 = results.get(Quantization.NONE);
    Result int8 = results.get(Quantization.INT8);
    out.printf("%nbench int8 --model %s: %d paragraphs, %d questions, CPU, %s%n", o.model().getFileName(),
        paragraphs.size(), questions.size(), Machine.describe());
    out.printf("pooled cosine int8 vs fp32: min %.5f, 1st percentile %.5f, mean %.6f%n", quality.min(), quality.p1(),
        quality.mean());
    out.println("| format | paragraphs tok/s | Recall@10 | MRR@10 |");
    out.println("|---|---:|---:|---:|");
    results.forEach((q, r) -> out.printf("| %s | %.0f | %.3f | %.3f |%n", q.id(), r.tokensPerSecond(),
        r.recallAt10(), r.mrrAt10()));
    boolean pass = fp32.recallAt10() - int8.recallAt10() <= RECALL_GATE && fp32.mrrAt10() - int8.mrrAt10() <= MRR_GATE;
    out.printf("int8/fp32 tokens/s %.2fx; gate (Recall@10 within %.3f, MRR@10 within %.2f): %s%n",
        int8.tokensPerSecond() / fp32.tokensPerSecond(), RECALL_GATE, MRR_GATE, pass ? "pass" : "FAIL");
    return report(o, paragraphs.size(), questions.size(), quality, results);
  }

  /** Where each question's own paragraph ranks among all paragraphs, by dot product of normalized vectors. */
  private static Result rank(double tokensPerSecond, List<float[]> documents, List<float[]> queries,
      List<JsquadCorpus.Question> questions) {
    double hits = 0;
    double reciprocal = 0;
    for (int i = 0; i < queries.size(); i++) {
      float[] q = queries.get(i);
      int target = questions.get(i).paragraph();
      double own = dot(q, documents.get(target));
      int better = 0;
      for (int d = 0; d < documents.size() && better < 10; d++) {
        if (d != target && dot(q, documents.get(d)) > own) {
          better++;
        }
      }
      if (better < 10) {
        hits++;
        reciprocal += 1.0 / (better + 1);
      }
    }
    return new Result(tokensPerSecond, hits / queries.size(), reciprocal / queries.size());
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static ObjectNode report(Options o, int paragraphs, int questions, QuantizationBenchmark.Quality quality,
      Map<Quantization, Result> results) {
    ObjectNode r = JsonFiles.mapper().createObjectNode();
    r.put("benchmark", "int8-retrieval");
    r.put("model", o.model().getFileName().toString());
    r.put("machine", Machine.describe());
    r.put("paragraphs", paragraphs);
    r.put("questions", questions);
    r.put("min_cosine", quality.min());
    r.put("mean_cosine", quality.mean());
    var rows = r.putArray("results");
    results.forEach((q, res) -> rows.addObject().put("quantization", q.id())
        .put("tokens_per_second", res.tokensPerSecond()).put("recall_at_10", res.recallAt10())
        .put("mrr_at_10", res.mrrAt10()));
    return r;
  }
}
