package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.IndexSetup;
import dev.modernbert.cluster.VectorJson;
import dev.modernbert.tools.bench.Machine;
import dev.modernbert.tools.bench.MatMulProbe;
import dev.modernbert.tools.bench.ModelFlops;
import dev.modernbert.tools.bench.Stats;
import dev.modernbert.tools.cli.Args;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.Quantization;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ./modernbert bench vs-neural [--shape 30m] [--docs 1145] [--long-docs 3] [--queries 200] [--rounds 3]
 * [--clients 4] [--quantization none|int8]}: this plugin (its linear layers in int8 with {@code --quantization int8},
 * saved as {@code vs-neural-int8}) and OpenSearch's own ml-commons + neural-search (fp32) on one node, serving the same
 * random-weight model — ours from the checkpoint, theirs from this project's ONNX export of it
 * ({@code --attention full}, pooling left to ml-commons). Same documents through {@code modernbert_embedding} and
 * through {@code text_embedding} (long documents also through {@code text_chunking} + {@code text_embedding}); the
 * same questions through {@code modernbert_knn} and {@code neural}; no prefixes on either side, so both embed the
 * same strings. Reports vector agreement, ingest docs/s
 * (median of the rounds) on JSQuAD paragraphs (from one bulk client, and from {@code --clients} at once) and on
 * ~8k-token documents (with how much of each document the vectors cover and where passages end), the model's
 * GFLOP/s against this machine's fp32 MatMul, and query latency, on an idle node (the two systems taking turns
 * question by question, after a warm-up of the same on other questions), while a bulk client ingests
 * through the same system, and from several query clients at once; writes JSON, a PNG chart and its
 * {@code BENCHMARKS.md} section.
 */
final class VsNeuralBenchmark {
  private static final String OURS = "modernbert-search";
  private static final String THEIRS = "ml-commons + neural-search";
  /**
   * Our documents and questions go without the model's prefixes, as the incumbent's do (it has none): both sides
   * embed the same strings, so they do the same work and write the same vectors.
   */
  private static final String NO_PREFIX = "";
  /** ml-commons' tokenizer keeps 512 tokens, two of them special. */
  private static final int INCUMBENT_TOKENS = 512;
  /** {@code text_chunking} as PLATFORM.md measured it: windows of 384 standard-tokenizer tokens, overlap 0.1. */
  private static final int CHUNKING_TOKENS = 384;
  private static final double CHUNKING_OVERLAP = 0.1;
  /** Our windows when compared with theirs: passage-sized (their passages are ~250–360 model tokens). */
  private static final int PASSAGE_TOKENS = 384;

  private VsNeuralBenchmark() {}

  /**
   * What to compare on: the model shape, how many of each workload ({@code docs}: the first so many JSQuAD
   * paragraphs, all by default), ingest rounds and concurrent clients; {@code given}: the options as typed.
   */
  private record Options(String shape, int docs, int longDocs, int queries, int rounds, int clients,
      Quantization quantization, String given) {
    static Options parse(List<String> argv) {
      Args a = ClusterMain.options(argv, "shape", "docs", "long-docs", "queries", "rounds", "clients", "quantization");
      return new Options(a.get("shape", "30m"), a.intValue("docs", Integer.MAX_VALUE, 1),
          a.intValue("long-docs", 3, 1), a.intValue("queries", 200, 1), a.intValue("rounds", 3, 1),
          a.intValue("clients", 4, 2), Quantization.parse(a.get("quantization", "none")), a.given("shape"));
    }

    /** The results' name: {@code vs-neural}, or {@code vs-neural-int8} when this plugin runs int8. */
    String resultName() {
      return quantization == Quantization.NONE ? "vs-neural" : "vs-neural-" + quantization.id();
    }
  }

  static int run(List<String> argv) throws Exception {
    Options o = Options.parse(argv);
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    ObjectNode report = JsonFiles.mapper().createObjectNode().put("shape", o.shape())
        .put("machine", Machine.describe()).put("incumbent", "ml-commons + neural-search 3.6.0.0 (ONNX Runtime 1.16.3, one text per model call)");
    report.put("quantization", o.quantization().id());
    Map<String, String> settings = new HashMap<>(Incumbent.nodeSettings());
    settings.put("plugins.modernbert.quantization", o.quantization().id());
    try (BenchNode node = BenchNode.start(o.shape(), "vs-neural", Incumbent.artifacts(ClusterMain.artifacts()),
        Incumbent::prefillPytorch, settings)) {
      compare(node, corpus, o, report);
    }
    Path png = BenchNode.resultFile(o.resultName(), o.shape(), "png");
    BarChart.write(png, "modernbert-search" + (o.quantization() == Quantization.NONE ? "" : " (" + o.quantization().id()
        + ")") + " vs ml-commons + neural-search (" + o.shape() + ", "
        + report.get("machine").asText() + ")", OURS, THEIRS, panels((ArrayNode) report.get("results")));
    BenchNode.save("vs-neural", o.resultName(), o.shape(), o.given(),
        "one node, same model; advantage = how many times better " + OURS + " is", report, png);
    return 0;
  }

  /** Deploys the export in ml-commons beside our model on {@code node}, then measures every row of the report. */
  private static void compare(BenchNode node, JsquadCorpus corpus, Options o, ObjectNode report) throws Exception {
    int docs = Math.min(o.docs(), corpus.paragraphs().size());
    List<String> paragraphs = corpus.paragraphs().subList(0, docs).stream().map(JsquadCorpus.Paragraph::text).toList();
    ArrayNode rows = report.putArray("results");
    ModelFolder folder = ModelFolder.open(node.modelDir());
    Path export = node.work.resolve("export").resolve(node.model + "-onnx");
    FileTrees.delete(export);
    OnnxExport.write(folder, CompileOptions.AttentionMode.FULL, export);
    System.out.println("registering and deploying the ONNX export in ml-commons...");
    Incumbent incumbent = Incumbent.deploy(node.http, export, node.model + "-onnx", folder.hiddenSize());
    Sides sides = Sides.create(node, incumbent, report.putObject("ingest_docs_per_second_by_round"));
    report.put("ingest_rounds", o.rounds());
    report.put("min_cosine_short_texts", agreement(node, incumbent, corpus.questions().subList(0, 32).stream()
        .map(JsquadCorpus.Question::text).toList(), paragraphs.subList(0, Math.min(32, docs))));
    sides.warmUp(paragraphs);
    double[] perSecond = sides.docsPerSecond(paragraphs, o.rounds(), 1, "theirs-short", "ours-short");
    rows.add(ingestRow("JSQuAD paragraphs: ingest", perSecond[1], perSecond[0]));
    computeCeiling(node, folder, paragraphs, perSecond[1], perSecond[0], report, rows);
    perSecond = sides.docsPerSecond(paragraphs, o.rounds(), o.clients(), "theirs-clients", "ours-clients");
    rows.add(ingestRow("JSQuAD paragraphs, " + o.clients() + " bulk clients at once: ingest", perSecond[1],
        perSecond[0]));
    report.put("concurrent_bulk_clients", o.clients());
    try (ModelTokenizer tokenizer = ModelTokenizer.load(node.modelDir())) {
      List<String> longTexts = longDocuments(tokenizer, corpus, o.longDocs(), folder.maxTokens() - 32);
      perSecond = sides.docsPerSecond(longTexts, o.rounds(), 1, "theirs-long", "theirs-chunked", "ours-long",
          "ours-passages");
      rows.add(ingestRow("~8k-token documents: ingest", perSecond[2], perSecond[0]));
      rows.add(ingestRow("~8k-token documents in passages: ingest", perSecond[3], perSecond[1]));
      coverage(node, tokenizer, longTexts, report, rows);
      chunkedCoverage(node, tokenizer, longTexts, report, rows);
    }
    int queries = Math.min(o.queries(), corpus.questions().size() / 4);
    BenchQuestions questions = BenchQuestions.slice(corpus, 0, queries);
    queryLatency(node, sides, questions.warmUp(), questions.alone(), rows);
    queryLatencyDuringIngest(node, sides, questions.duringIngest(), paragraphs, rows);
    concurrentQueries(node, sides, questions.concurrent(), rows);
  }

  /**
   * The two systems' pipelines, indexes and query bodies on the node; {@code byRound} collects every ingest
   * round's docs/s per index.
   */
  private record Sides(BenchNode node, Incumbent incumbent, Map<String, Index> indexes, ObjectNode byRound) {
    /** An index's default pipeline, and how its body differs from the one the plugin recommends. */
    private record Index(String pipeline, Consumer<ObjectNode> edit) {}

    /** Our index body as the plugin recommends it, and theirs: the same vector field, one vector per document. */
    private static final Consumer<ObjectNode> OUR_INDEX = body -> { };
    private static final Consumer<ObjectNode> THEIR_INDEX = body ->
        ((ObjectNode) body.path("mappings").path("properties")).remove("body_chunks");

    static Sides create(BenchNode node, Incumbent incumbent, ObjectNode byRound) throws IOException {
      IndexSetup.putPipeline(node.http, "ours", IndexSetup.processor(node.model).put("prefix", NO_PREFIX));
      ObjectNode passages = IndexSetup.processor(node.model).put("prefix", NO_PREFIX);
      passages.putObject("chunking").put("max_tokens", PASSAGE_TOKENS);
      IndexSetup.putPipeline(node.http, "ours-passages", passages);
      node.http.put("/_ingest/pipeline/theirs", incumbent.pipeline("body_vector")).ok("create pipeline theirs");
      node.http.put("/_ingest/pipeline/theirs-chunked", incumbent.chunkingPipeline("body_passages",
          "body_passage_vectors", CHUNKING_TOKENS, CHUNKING_OVERLAP)).ok("create pipeline theirs-chunked");
      Map<String, Index> indexes = new LinkedHashMap<>();
      for (String kind : List.of("short", "clients", "long", "warm", "load")) {
        indexes.put("ours-" + kind, new Index("ours", OUR_INDEX));
        indexes.put("theirs-" + kind, new Index("theirs", THEIR_INDEX));
      }
      indexes.put("ours-passages", new Index("ours-passages", OUR_INDEX));
      indexes.put("theirs-chunked", new Index("theirs-chunked", Sides::chunkedIndex));
      Sides sides = new Sides(node, incumbent, indexes, byRound);
      for (String index : indexes.keySet()) {
        sides.recreate(index);
      }
      return sides;
    }

    /** Creates {@code name} empty, with its pipeline as default. */
    private void recreate(String name) throws IOException {
      Index index = indexes.get(name);
      node.createIndex(name, index.pipeline(), index.edit());
    }

    /**
     * Their chunked index as neural-search documents it: the passages, and a nested field holding one
     * {@code knn} vector per passage (our vector field's dimension and HNSW parameters). The standard tokenizer
     * makes one token per kanji or kana, so an ~8k-token document is far over the 10,000 analyzed tokens an
     * index allows by default (PLATFORM.md: every document fails with HTTP 500).
     */
    private static void chunkedIndex(ObjectNode body) {
      ObjectNode properties = (ObjectNode) body.path("mappings").path("properties");
      properties.remove("body_chunks");
      JsonNode vector = properties.remove("body_vector");
      properties.putObject("body_passages").put("type", "text");
      properties.putObject("body_passage_vectors").put("type", "nested").putObject("properties").set("knn", vector);
      ((ObjectNode) body.path("settings")).put("index.analyze.max_token_count", 1_000_000);
    }

    /**
     * Each system indexes {@code texts} once, untimed: the first bulks load the models, and a short warm-up left
     * both still speeding up over the first measured rounds.
     */
    void warmUp(List<String> texts) throws IOException {
      IngestBenchmark.bulkIndex(node.http, "ours-warm", texts, "warm-up " + OURS);
      IngestBenchmark.bulkIndex(node.http, "theirs-warm", texts, "warm-up " + THEIRS);
    }

    /**
     * Documents per second of each index's pipeline on {@code texts}, sent by {@code clients} bulk clients at
     * once: in each of {@code rounds} rounds every index is emptied and filled in turn (so drift hits all alike);
     * the median round per index, in order.
     */
    double[] docsPerSecond(List<String> texts, int rounds, int clients, String... names) throws IOException {
      double[][] measured = new double[names.length][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < names.length; i++) {
          if (r > 0) {
            recreate(names[i]);
          }
          String who = names[i] + " (round " + (r + 1) + "/" + rounds + ")";
          measured[i][r] = texts.size() / IngestBenchmark.bulkIndex(node.http, names[i], texts, who, clients);
          node.http.post("/" + names[i] + "/_refresh", "{}").ok("refresh " + names[i]);
        }
      }
      double[] medians = new double[names.length];
      for (int i = 0; i < names.length; i++) {
        ArrayNode all = byRound.putArray(names[i]);
        Arrays.stream(measured[i]).forEach(all::add);
        medians[i] = Stats.median(measured[i]);
      }
      return medians;
    }
  }

  private static ObjectNode ingestRow(String measure, double ours, double theirs) {
    System.out.printf("%s: %s %.2f, %s %.2f docs/s (%.2f×)%n", measure, OURS, ours, THEIRS, theirs, ours / theirs);
    return row(measure, "docs/s", ours, theirs, ours / theirs);
  }

  private static ObjectNode row(String measure, String unit, double ours, double theirs, double advantage) {
    return JsonFiles.mapper().createObjectNode().put("measure", measure).put("unit", unit).put("modernbert", ours)
        .put("incumbent", theirs).put("advantage", advantage);
  }

  /**
   * The model's FLOPs per second each side sustained on the paragraphs (what each embedded: ours the whole text,
   * theirs its first 510 tokens), against this machine's fp32 MatMul throughput measured here with the node idle.
   * No server of this fp32 model computes faster than that on these cores, so it bounds the ingest advantage any
   * server could have over the incumbent.
   */
  private static void computeCeiling(BenchNode node, ModelFolder folder, List<String> paragraphs, double ours,
      double theirs, ObjectNode report, ArrayNode rows) throws Exception {
    double ourFlops = 0;
    double theirFlops = 0;
    try (ModelTokenizer tokenizer = ModelTokenizer.load(node.modelDir())) {
      for (String p : paragraphs) {
        int n = tokenizer.encode(p).length();
        ourFlops += ModelFlops.ofText(folder.config(), n);
        theirFlops += ModelFlops.ofText(folder.config(), Math.min(n, INCUMBENT_TOKENS));
      }
    }
    double ourGflops = ours * ourFlops / paragraphs.size() / 1e9;
    double theirGflops = theirs * theirFlops / paragraphs.size() / 1e9;
    double matmul = MatMulProbe.gflops(2048, 5, 0);
    rows.add(row("JSQuAD paragraphs: the model's GFLOP/s", "GFLOP/s", ourGflops, theirGflops,
        ourGflops / theirGflops));
    double ceiling = matmul / theirGflops;
    report.put("fp32_matmul_gflops", matmul).put("modernbert_share_of_matmul", ourGflops / matmul)
        .put("incumbent_share_of_matmul", theirGflops / matmul).put("most_ingest_advantage_possible", ceiling);
    System.out.printf("the model's GFLOP/s on the paragraphs: %s %.0f, %s %.0f; this machine's fp32 MatMul: %.0f;"
        + " no server can ingest them more than %.2f× faster than %s here%n", OURS, ourGflops, THEIRS, theirGflops,
        matmul, ceiling, THEIRS);
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
   * For each long document: how much of it each side's vectors cover, and which text the incumbent's
   * {@code text_embedding} vector really is — its cosine with our vector of the first 510 text tokens and with
   * that of the whole text.
   */
  private static void coverage(BenchNode node, ModelTokenizer tokenizer, List<String> texts, ObjectNode report,
      ArrayNode rows) throws IOException {
    double ourCovered = 0;
    double theirCovered = 0;
    double headCos = 1;
    double wholeCos = -1;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      List<PassageSpans.Span> chunks = ourChunks(node, "ours-long", i);
      int ours = PassageSpans.covered(chunks);
      ourCovered += (double) ours / text.length();
      Kept kept = Kept.of(tokenizer, text);
      theirCovered += (double) kept.characters() / text.length();
      float[] theirs = VectorJson.floats(source(node, "theirs-long", i).path("body_vector"));
      List<float[]> mine = ourVectors(node, List.of(text.substring(0, kept.characters()), text));
      double head = Pooling.cosine(theirs, mine.get(0));
      double whole = Pooling.cosine(theirs, mine.get(1));
      headCos = Math.min(headCos, head);
      wholeCos = Math.max(wholeCos, whole);
      System.out.printf("document %d: %d tokens, %d characters; ours: %d chunk(s) covering %d characters; theirs:"
          + " cosine %.5f with our vector of its first %d tokens, %.5f with that of the whole text%n", i,
          kept.textTokens(), text.length(), chunks.size(), ours, head, kept.tokens(), whole);
    }
    rows.add(row("~8k-token documents: share of each document its vectors cover", "%", 100 * ourCovered / texts.size(),
        100 * theirCovered / texts.size(), ourCovered / theirCovered));
    report.put("incumbent_vector_vs_first_510_tokens_min_cosine", headCos)
        .put("incumbent_vector_vs_whole_text_max_cosine", wholeCos);
  }

  /**
   * The same long documents in passages — theirs through {@code text_chunking} + {@code text_embedding}, ours in
   * {@link #PASSAGE_TOKENS}-token windows: how many passages, how much of each document the passages' vectors
   * cover (a passage over 510 model tokens is cut by ml-commons), how many passages end at a sentence end, and
   * whether their passage vectors are the model's (cosine with ours of the same strings).
   */
  private static void chunkedCoverage(BenchNode node, ModelTokenizer tokenizer, List<String> texts,
      ObjectNode report, ArrayNode rows) throws IOException {
    double ourCovered = 0;
    double theirCovered = 0;
    int ourChunks = 0;
    int ourSentenceEnds = 0;
    int passages = 0;
    int sentenceEnds = 0;
    int cut = 0;
    int maxTokens = 0;
    double minCos = 1;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      List<PassageSpans.Span> chunks = ourChunks(node, "ours-passages", i);
      ourCovered += (double) PassageSpans.covered(chunks) / text.length();
      ourChunks += chunks.size();
      ourSentenceEnds += PassageSpans.endingAtSentenceEnds(text, chunks);
      JsonNode source = source(node, "theirs-chunked", i);
      List<String> strings = new ArrayList<>();
      source.path("body_passages").forEach(p -> strings.add(p.asText()));
      List<PassageSpans.Span> spans = PassageSpans.locate(text, strings);
      List<PassageSpans.Span> embedded = new ArrayList<>();
      for (int p = 0; p < spans.size(); p++) {
        Kept kept = Kept.of(tokenizer, strings.get(p));
        embedded.add(new PassageSpans.Span(spans.get(p).start(), spans.get(p).start() + kept.characters()));
        cut += kept.cut() ? 1 : 0;
        maxTokens = Math.max(maxTokens, kept.textTokens());
      }
      theirCovered += (double) PassageSpans.covered(embedded) / text.length();
      passages += spans.size();
      sentenceEnds += PassageSpans.endingAtSentenceEnds(text, spans);
      minCos = Math.min(minCos, passageAgreement(node, strings, source.path("body_passage_vectors")));
    }
    System.out.printf("in passages: ours %d (%d ending at a sentence end); theirs %d (%.1f per document, up to %d"
        + " model tokens, %d over %d, %d ending at a sentence end); their passage vectors vs ours of the same"
        + " passages: min cosine %.6f%n", ourChunks, ourSentenceEnds, passages, (double) passages / texts.size(),
        maxTokens, cut, INCUMBENT_TOKENS - 2, sentenceEnds, minCos);
    rows.add(row("~8k-token documents in passages: share of each document the vectors cover", "%",
        100 * ourCovered / texts.size(), 100 * theirCovered / texts.size(), ourCovered / theirCovered));
    double ourShare = 100.0 * ourSentenceEnds / ourChunks;
    double theirShare = 100.0 * sentenceEnds / passages;
    rows.add(row("~8k-token documents in passages: passages ending at a sentence end", "%", ourShare, theirShare,
        ourShare / theirShare));
    report.put("passages_per_long_document", (double) ourChunks / texts.size())
        .put("incumbent_passages_per_long_document", (double) passages / texts.size())
        .put("incumbent_passages_over_510_tokens", cut).put("incumbent_passage_max_model_tokens", maxTokens)
        .put("incumbent_passage_vectors_vs_ours_min_cosine", minCos);
  }

  /** The smallest cosine between their stored passage vectors and our vectors of the same passage strings. */
  private static double passageAgreement(BenchNode node, List<String> passages, JsonNode vectors) throws IOException {
    List<float[]> ours = ourVectors(node, passages);
    double min = 1;
    for (int p = 0; p < passages.size(); p++) {
      min = Math.min(min, Pooling.cosine(ours.get(p), VectorJson.floats(vectors.get(p).path("knn"))));
    }
    return min;
  }

  /** What ml-commons embeds of a text: its first 510 model tokens (the whole text when it has fewer). */
  private record Kept(int textTokens, int tokens, int characters) {
    static Kept of(ModelTokenizer tokenizer, String text) {
      TokenizedText t = tokenizer.encode(text);
      // t frames the text with <s> and </s>: content token i is t[i]
      int kept = Math.min(INCUMBENT_TOKENS - 2, t.length() - 2);
      return new Kept(t.length() - 2, kept, kept == t.length() - 2 ? text.length() : t.ends()[kept]);
    }

    boolean cut() {
      return tokens < textTokens;
    }
  }

  private static List<PassageSpans.Span> ourChunks(BenchNode node, String index, int doc) throws IOException {
    List<PassageSpans.Span> spans = new ArrayList<>();
    for (JsonNode c : source(node, index, doc).path("body_chunks")) {
      spans.add(new PassageSpans.Span(c.path("start").asInt(), c.path("end").asInt()));
    }
    return spans;
  }

  private static JsonNode source(BenchNode node, String index, int doc) throws IOException {
    return node.http.get("/" + index + "/_doc/" + doc).ok("get document " + doc + " of " + index).body()
        .path("_source");
  }

  /**
   * {@code neural} against {@code modernbert_knn} on the short-document indexes (same documents, one client), after
   * the same searches of {@code warmUp} questions; and each index's k-NN query with the question's vector given,
   * which splits each side's new-text latency into embedding and retrieval.
   */
  private static void queryLatency(BenchNode node, Sides sides, List<String> warmUp, List<String> questions,
      ArrayNode rows) throws IOException {
    searchesInTurn(node, sides, warmUp);
    double[][] ms = searchesInTurn(node, sides, questions);
    for (int p : new int[] {50, 90, 99}) {
      double n = LatencyRecorder.percentile(ms[0], p);
      double f = LatencyRecorder.percentile(ms[1], p);
      double c = LatencyRecorder.percentile(ms[2], p);
      rows.add(row("query p" + p + ", cached text (modernbert_knn vs neural)", "ms", c, n, n / c));
      rows.add(row("query p" + p + ", new text (modernbert_knn vs neural)", "ms", f, n, n / f));
      System.out.printf("query p%d: neural %.1f ms; modernbert_knn cached %.1f ms, new text %.1f ms%n", p, n, c, f);
    }
    double theirKnn = LatencyRecorder.percentile(ms[3], 50);
    double ourKnn = LatencyRecorder.percentile(ms[4], 50);
    rows.add(row("query p50, k-NN only, vector given (nested passages vs one vector per document)", "ms", ourKnn,
        theirKnn, theirKnn / ourKnn));
    double theirEmbedding = LatencyRecorder.percentile(ms[0], 50) - theirKnn;
    double ourEmbedding = LatencyRecorder.percentile(ms[1], 50) - ourKnn;
    rows.add(row("query p50, new text − k-NN only: embedding (modernbert_knn vs neural)", "ms", ourEmbedding,
        theirEmbedding, theirEmbedding / ourEmbedding));
    System.out.printf("query p50, k-NN only: theirs %.1f ms, ours %.1f ms; so embedding: theirs %.1f ms, ours %.1f"
        + " ms%n", theirKnn, ourKnn, theirEmbedding, ourEmbedding);
  }

  /**
   * For each question in turn: {@code neural}, ours with text new to the node, the same text again (cached), and
   * the k-NN query with the question's vector given on their index and on ours.
   */
  private static double[][] searchesInTurn(BenchNode node, Sides sides, List<String> questions) throws IOException {
    List<String> ours = ourQueries(node, questions);
    List<String> theirKnn = new ArrayList<>();
    List<String> ourKnn = new ArrayList<>();
    for (float[] v : ourVectors(node, questions)) {
      theirKnn.add(sides.incumbent().knnQuery("body_vector", v, 10));
      ourKnn.add(QueryBenchmark.knnQuery(v));
    }
    return QueryBenchmark.inTurn(node.http, List.of(
        new QueryBenchmark.Searches("theirs-short", neuralQueries(sides, questions)),
        new QueryBenchmark.Searches("ours-short", ours), new QueryBenchmark.Searches("ours-short", ours),
        new QueryBenchmark.Searches("theirs-short", theirKnn), new QueryBenchmark.Searches("ours-short", ourKnn)));
  }

  /** A {@code neural} search of the paragraph index for each question (k = 10). */
  private static List<String> neuralQueries(Sides sides, List<String> questions) {
    return questions.stream().map(q -> sides.incumbent().neuralQuery("body_vector", q, 10)).toList();
  }

  /** A {@code modernbert_knn} search of the paragraph index for each question (k = 10). */
  private static List<String> ourQueries(BenchNode node, List<String> questions) {
    return questions.stream().map(q -> QueryBenchmark.textQuery(node.model, q, NO_PREFIX)).toList();
  }

  /**
   * {@code neural} against {@code modernbert_knn} on texts neither has seen, each while a second client keeps
   * ingesting {@code paragraphs} through the same system's pipeline: whether a search waits behind ingest.
   */
  private static void queryLatencyDuringIngest(BenchNode node, Sides sides, List<String> questions,
      List<String> paragraphs, ArrayNode rows) throws IOException {
    double[] neural = QueryBenchmark.whileIngesting(node.http, "theirs-load", paragraphs,
        () -> QueryBenchmark.time(node.http, "theirs-short", neuralQueries(sides, questions)));
    double[] ours = QueryBenchmark.whileIngesting(node.http, "ours-load", paragraphs,
        () -> QueryBenchmark.time(node.http, "ours-short", ourQueries(node, questions)));
    for (int p : new int[] {50, 90, 99}) {
      double n = LatencyRecorder.percentile(neural, p);
      double f = LatencyRecorder.percentile(ours, p);
      rows.add(row("query p" + p + ", new text during _bulk ingest (modernbert_knn vs neural)", "ms", f, n, n / f));
      System.out.printf("query p%d during ingest: neural %.1f ms; modernbert_knn %.1f ms%n", p, n, f);
    }
  }

  /**
   * {@code neural} against {@code modernbert_knn} on texts neither has seen, from {@value QueryBenchmark#CLIENTS}
   * clients at once, each sending the next question as soon as its answer comes: queries answered per second,
   * and what each client waited.
   */
  private static void concurrentQueries(BenchNode node, Sides sides, List<String> questions, ArrayNode rows)
      throws IOException {
    String clients = QueryBenchmark.CLIENTS + " query clients at once";
    QueryBenchmark.Timing neural = QueryBenchmark.time(node.http, "theirs-short", neuralQueries(sides, questions),
        QueryBenchmark.CLIENTS);
    QueryBenchmark.Timing ours = QueryBenchmark.time(node.http, "ours-short", ourQueries(node, questions),
        QueryBenchmark.CLIENTS);
    rows.add(row("queries/s, new text, " + clients + " (modernbert_knn vs neural)", "queries/s", ours.perSecond(),
        neural.perSecond(), ours.perSecond() / neural.perSecond()));
    System.out.printf("%s: neural %.0f, modernbert_knn %.0f queries/s%n", clients, neural.perSecond(),
        ours.perSecond());
    for (int p : new int[] {50, 90}) {
      double n = LatencyRecorder.percentile(neural.ms(), p);
      double f = LatencyRecorder.percentile(ours.ms(), p);
      rows.add(row("query p" + p + ", new text, " + clients + " (modernbert_knn vs neural)", "ms", f, n, n / f));
      System.out.printf("query p%d, %s: neural %.1f ms; modernbert_knn %.1f ms%n", p, clients, n, f);
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

  static List<BarChart.Panel> panels(ArrayNode rows) {
    List<BarChart.Panel> panels = new ArrayList<>();
    for (JsonNode r : rows) {
      String m = r.path("measure").asText();
      // tails only where waiting is the point: a search's p90 while ingest runs
      if (m.endsWith(": ingest") || m.contains("cover") || m.contains("sentence end") || m.startsWith("query p50")
          || m.startsWith("query p90, new text during") || m.startsWith("queries/s")) {
        String title = m.replaceAll(" \\((modernbert_knn vs neural|nested passages vs one vector per document)\\)", "")
            .replace("~8k-token documents", "8k-token docs")
            .replaceAll("share of each document (its|the) vectors cover", "text covered");
        panels.add(new BarChart.Panel(title, r.path("unit").asText(), r.path("modernbert").asDouble(),
            r.path("incumbent").asDouble()));
      }
    }
    return panels;
  }
}
