package dev.modernbert.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.OnnxExport;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.stats.LatencyRecorder;
import dev.modernbert.inference.tokenizer.ModelTokenizer;
import dev.modernbert.inference.tokenizer.TokenizedText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./modernbert bench vs-neural [--shape 30m] [--docs 1145] [--long-docs 3] [--queries 200]}: this plugin
 * and OpenSearch's own ml-commons + neural-search on one node, serving the same random-weight model — ours
 * from the checkpoint, theirs from this project's ONNX export of it ({@code --attention full}, pooling left to
 * ml-commons). Same documents through {@code modernbert_embedding} and through {@code text_embedding}; the same
 * questions through {@code modernbert_knn} and {@code neural}. Reports vector agreement, ingest docs/s on JSQuAD
 * paragraphs and on ~8k-token documents (with how much of each document a vector covers), and query latency;
 * writes JSON, a PNG chart and its {@code BENCHMARKS.md} section.
 */
final class VsNeuralBenchmark {
  private static final String OURS = "modernbert-search";
  private static final String THEIRS = "ml-commons + neural-search";
  /** ml-commons' tokenizer keeps 512 tokens, two of them special. */
  private static final int INCUMBENT_TOKENS = 512;

  private VsNeuralBenchmark() {}

  static int run(List<String> argv) throws Exception {
    String shape = ClusterMain.option(argv, "--shape", "30m");
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    int docs = Math.min(ClusterMain.intOption(argv, "--docs", corpus.paragraphs().size()), corpus.paragraphs().size());
    int longDocs = ClusterMain.intOption(argv, "--long-docs", 3);
    int queries = ClusterMain.intOption(argv, "--queries", 200);
    List<String> paragraphs = corpus.paragraphs().subList(0, docs).stream().map(JsquadCorpus.Paragraph::text).toList();
    List<String> questions = corpus.questions().subList(0, Math.min(queries, corpus.questions().size())).stream()
        .map(JsquadCorpus.Question::text).toList();
    ObjectNode report = JsonFiles.mapper().createObjectNode().put("shape", shape).put("machine", BenchNode.machine())
        .put("incumbent", "ml-commons + neural-search 3.6.0.0 (ONNX Runtime 1.16.3, one text per model call)");
    ArrayNode rows = report.putArray("results");
    try (BenchNode node = BenchNode.start(shape, "vs-neural", Incumbent.artifacts(ClusterMain.artifacts()),
        Incumbent::prefillPytorch, Incumbent.nodeSettings())) {
      ModelFolder folder = ModelFolder.open(node.modelDir());
      Path export = node.work.resolve("export").resolve(node.model + "-onnx");
      FileTrees.delete(export);
      OnnxExport.write(folder, CompileOptions.AttentionMode.FULL, export);
      System.out.println("registering and deploying the ONNX export in ml-commons...");
      Incumbent incumbent = Incumbent.deploy(node.http, export, node.model + "-onnx", folder.hiddenSize());
      Sides sides = Sides.create(node, incumbent);
      report.put("min_cosine_short_texts", agreement(node, incumbent, corpus.questions().subList(0, 32).stream()
          .map(JsquadCorpus.Question::text).toList(), paragraphs.subList(0, Math.min(32, docs))));
      sides.warmUp(paragraphs.subList(Math.max(0, docs - 20), docs));
      rows.add(sides.ingest("JSQuAD paragraphs: ingest", "docs/s", "short", paragraphs));
      try (ModelTokenizer tokenizer = ModelTokenizer.load(node.modelDir())) {
        List<String> longTexts = longDocuments(tokenizer, corpus, longDocs, folder.maxTokens() - 32);
        rows.add(sides.ingest("~8k-token documents: ingest", "docs/s", "long", longTexts));
        coverage(node, incumbent, tokenizer, longTexts, report, rows);
      }
      queryLatency(node, sides, questions, rows);
    }
    Path png = BenchNode.resultFile("vs-neural", shape, "png");
    BarChart.write(png, "modernbert-search vs ml-commons + neural-search (" + shape + ", " + BenchNode.machine() + ")",
        OURS, THEIRS, panels(rows));
    BenchNode.save("vs-neural", shape, "one node, same model; advantage = how many times better " + OURS + " is",
        report, png);
    return 0;
  }

  /** The two systems' pipelines, indexes and query bodies on the node. */
  private record Sides(BenchNode node, Incumbent incumbent) {
    static Sides create(BenchNode node, Incumbent incumbent) throws IOException {
      IndexSetup.putPipeline(node.http, "ours", IndexSetup.processor(node.model));
      node.http.put("/_ingest/pipeline/theirs", incumbent.pipeline("body_vector")).ok("create pipeline theirs");
      for (String kind : List.of("short", "long", "warm")) {
        node.createIndex("ours-" + kind, "ours", body -> { });
        // their index: the same vector field (dimension, HNSW parameters), one vector per document
        node.createIndex("theirs-" + kind, "theirs", body -> ((ObjectNode) body.path("mappings").path("properties"))
            .remove("body_chunks"));
      }
      return new Sides(node, incumbent);
    }

    void warmUp(List<String> texts) throws IOException {
      IngestBenchmark.bulkIndex(node.http, "ours-warm", texts, "warm-up " + OURS);
      IngestBenchmark.bulkIndex(node.http, "theirs-warm", texts, "warm-up " + THEIRS);
    }

    ObjectNode ingest(String measure, String unit, String kind, List<String> texts) throws IOException {
      double theirs = texts.size() / IngestBenchmark.bulkIndex(node.http, "theirs-" + kind, texts, THEIRS);
      double ours = texts.size() / IngestBenchmark.bulkIndex(node.http, "ours-" + kind, texts, OURS);
      node.http.post("/ours-" + kind + ",theirs-" + kind + "/_refresh", "{}");
      System.out.printf("%s: %s %.1f, %s %.1f %s (%.2f×)%n", measure, OURS, ours, THEIRS, theirs, unit, ours / theirs);
      return row(measure, unit, ours, theirs, ours / theirs);
    }
  }

  private static ObjectNode row(String measure, String unit, double ours, double theirs, double advantage) {
    return JsonFiles.mapper().createObjectNode().put("measure", measure).put("unit", unit).put("modernbert", ours)
        .put("incumbent", theirs).put("advantage", advantage);
  }

  /** The smallest cosine between the two systems' vectors of the same texts (no prefixes on either side). */
  private static double agreement(BenchNode node, Incumbent incumbent, List<String> a, List<String> b)
      throws IOException {
    List<String> texts = new ArrayList<>(a);
    texts.addAll(b);
    List<float[]> ours = ourVectors(node, texts);
    List<float[]> theirs = incumbent.embed(texts);
    double min = 1;
    for (int i = 0; i < texts.size(); i++) {
      min = Math.min(min, Pooling.cosine(ours.get(i), theirs.get(i)));
    }
    System.out.printf("vectors of %d short texts: min cosine %.6f%n", texts.size(), min);
    return min;
  }

  private static List<float[]> ourVectors(BenchNode node, List<String> texts) throws IOException {
    ObjectNode body = JsonFiles.mapper().createObjectNode().put("model", node.model).put("prefix", "");
    ArrayNode list = body.putArray("texts");
    texts.forEach(list::add);
    JsonNode r = node.http.post("/_plugins/_modernbert/_embed", body.toString()).ok("_embed").body();
    List<float[]> out = new ArrayList<>();
    for (JsonNode e : r.path("embeddings")) {
      out.add(VectorJson.floats(e.path("embedding")));
    }
    return out;
  }

  /**
   * For each long document: how many of its tokens each side's vectors cover, and which text the incumbent's
   * vector really is — its cosine with our vector of the first 510 text tokens and with that of the whole text.
   */
  private static void coverage(BenchNode node, Incumbent incumbent, ModelTokenizer tokenizer, List<String> texts,
      ObjectNode report, ArrayNode rows) throws IOException {
    double ourCovered = 0;
    double theirCovered = 0;
    double headCos = 1;
    double wholeCos = -1;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      TokenizedText t = tokenizer.encode(text);
      JsonNode chunks = node.http.get("/ours-long/_doc/" + i).ok("get document " + i).body().path("_source")
          .path("body_chunks");
      ourCovered += (double) coveredCharacters(chunks) / text.length();
      // t frames the text with <s> and </s>: content token i is t[i]
      int kept = Math.min(INCUMBENT_TOKENS - 2, t.length() - 2);
      int keptChars = t.ends()[kept];
      theirCovered += (double) keptChars / text.length();
      float[] theirs = VectorJson.floats(node.http.get("/theirs-long/_doc/" + i).ok("get document " + i).body()
          .path("_source").path("body_vector"));
      List<float[]> mine = ourVectors(node, List.of(text.substring(0, keptChars), text));
      double head = Pooling.cosine(theirs, mine.get(0));
      double whole = Pooling.cosine(theirs, mine.get(1));
      headCos = Math.min(headCos, head);
      wholeCos = Math.max(wholeCos, whole);
      System.out.printf("document %d: %d tokens, %d characters; ours: %d chunk(s) covering %d characters; theirs:"
          + " cosine %.5f with our vector of its first %d tokens, %.5f with that of the whole text%n", i, t.length(),
          text.length(), chunks.size(), coveredCharacters(chunks), head, kept, whole);
    }
    rows.add(row("~8k-token documents: share of each document its vectors cover", "%", 100 * ourCovered / texts.size(),
        100 * theirCovered / texts.size(), ourCovered / theirCovered));
    report.put("incumbent_vector_vs_first_510_tokens_min_cosine", headCos)
        .put("incumbent_vector_vs_whole_text_max_cosine", wholeCos);
  }

  /** Characters of the document inside at least one chunk. */
  static int coveredCharacters(JsonNode chunks) {
    int covered = 0;
    int reached = 0;
    for (JsonNode c : chunks) {
      int start = Math.max(reached, c.path("start").asInt());
      int end = c.path("end").asInt();
      covered += Math.max(0, end - start);
      reached = Math.max(reached, end);
    }
    return covered;
  }

  /** {@code neural} against {@code modernbert_knn} on the short-document indexes (same documents, one client). */
  private static void queryLatency(BenchNode node, Sides sides, List<String> questions, ArrayNode rows)
      throws IOException {
    List<String> theirs = questions.stream().map(q -> sides.incumbent().neuralQuery("body_vector", q, 10)).toList();
    List<String> ours = questions.stream().map(q -> QueryBenchmark.textQuery(node.model, q)).toList();
    for (int i = 0; i < 10; i++) {
      node.http.post("/theirs-short/_search", sides.incumbent().neuralQuery("body_vector", "準備の質問 " + i, 10));
      node.http.post("/ours-short/_search", QueryBenchmark.textQuery(node.model, "準備の質問 " + i));
    }
    double[] neural = QueryBenchmark.time(node.http, "theirs-short", theirs);
    double[] cold = QueryBenchmark.time(node.http, "ours-short", ours);
    double[] cached = QueryBenchmark.time(node.http, "ours-short", ours);
    for (int p : new int[] {50, 90, 99}) {
      double n = LatencyRecorder.percentile(neural, p);
      double c = LatencyRecorder.percentile(cached, p);
      double f = LatencyRecorder.percentile(cold, p);
      rows.add(row("query p" + p + ", cached text (modernbert_knn vs neural)", "ms", c, n, n / c));
      rows.add(row("query p" + p + ", new text (modernbert_knn vs neural)", "ms", f, n, n / f));
      System.out.printf("query p%d: neural %.1f ms; modernbert_knn cached %.1f ms, new text %.1f ms%n", p, n, c, f);
    }
  }

  /**
   * {@code count} documents of consecutive JSQuAD paragraphs, each as long as fits in {@code maxTokens} tokens of
   * the model's tokenizer (so our side embeds each as one chunk).
   */
  static List<String> longDocuments(ModelTokenizer tokenizer, JsquadCorpus corpus, int count, int maxTokens) {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (int d = 0; d < count; d++) {
      StringBuilder doc = new StringBuilder();
      while (true) {
        String candidate = doc + corpus.paragraphs().get(next % corpus.paragraphs().size()).text() + "\n";
        if (tokenizer.encode(candidate).length() > maxTokens) {
          break;
        }
        doc.setLength(0);
        doc.append(candidate);
        next++;
      }
      out.add(doc.toString());
    }
    return out;
  }

  private static List<BarChart.Panel> panels(ArrayNode rows) {
    List<BarChart.Panel> panels = new ArrayList<>();
    for (JsonNode r : rows) {
      String m = r.path("measure").asText();
      if (m.contains("ingest") || m.contains("cover") || m.startsWith("query p50")) {
        panels.add(new BarChart.Panel(m.replace(" (modernbert_knn vs neural)", "").replace("~8k-token documents: ",
            "8k-token docs: ").replace("share of each document its vectors cover", "text covered"),
            r.path("unit").asText(), r.path("modernbert").asDouble(), r.path("incumbent").asDouble()));
      }
    }
    return panels;
  }
}
