package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.IndexSetup;
import dev.modernbert.cluster.SearchEngine;
import dev.modernbert.tools.bench.Machine;
import dev.modernbert.tools.cli.Args;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.stats.LatencyRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./modernbert bench query [--shape 30m] [--chunks 10000,100000] [--queries 200]}: latency of
 * {@code modernbert_knn} on a real node over indexes of that many nested chunks, split into its parts. For each
 * index size and each question in turn: the plain k-NN query with the question's vector given (the k-NN part),
 * {@code modernbert_knn} with its text, which the node has never seen (cold: embedding + k-NN), the same text
 * again (cached: the vector comes from the query cache), and {@code modernbert_hybrid} with it (cached vector, plus
 * BM25 over the chunks' JSQuAD texts and the fusion). The kinds alternate so that the node's warming up
 * and background merges weigh on each alike; the same loop on other questions warms the node up first. Then other
 * new texts while a client keeps indexing JSQuAD paragraphs through the {@code modernbert_embedding} pipeline
 * (queries and ingest share the node's inference), then other new texts from {@value #CLIENTS} query clients at
 * once. Embedding time is cold − cached. Chunk
 * vectors are random unit vectors of the model's dimension (embedding 100k chunks on 2 cores would take an hour);
 * the questions are real JSQuAD questions embedded by the model. Client-side latencies, p50/p90/p99, and queries
 * answered per second.
 */
final class QueryBenchmark {
  private static final int CHUNKS_PER_DOC = 10;
  /** Query clients at once in the concurrent row: a few users of a RAG service asking at the same moment. */
  static final int CLIENTS = 8;

  private QueryBenchmark() {}

  static int run(List<String> argv) throws Exception {
    Args a = ClusterMain.options(argv, "shape", "queries", "chunks", "engine");
    String shape = a.get("shape", "30m");
    int queries = a.intValue("queries", 200, 1);
    int[] sizes = a.ints("chunks", "10000,100000", 1);
    try (BenchNode node = BenchNode.start(shape, ClusterMain.engine(a))) {
      JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
      ObjectNode report = JsonFiles.mapper().createObjectNode().put("shape", shape).put("queries", queries)
          .put("machine", Machine.describe());
      ArrayNode rows = report.putArray("results");
      IndexSetup.putPipeline(node.http, "bench", IndexSetup.processor(node.model));
      List<String> paragraphs = corpus.paragraphs().stream().map(JsquadCorpus.Paragraph::text).toList();
      String queryPrefix = ModelFolder.open(node.modelDir()).profile().queryPrefix();
      for (int s = 0; s < sizes.length; s++) {
        measure(node, sizes[s], queryPrefix, BenchQuestions.slice(corpus, s, queries), paragraphs, rows);
      }
      BenchNode.save("query", node.resultName("query"), shape, a.given("shape"),
          "client-side ms, one query client unless a row says otherwise, k = 10", report, null);
    }
    return 0;
  }

  private static void measure(BenchNode node, int chunks, String queryPrefix, BenchQuestions questions,
      List<String> paragraphs, ArrayNode rows) throws IOException {
    Http http = node.http;
    String model = node.model;
    String index = "bench-" + chunks;
    node.createIndex(index, null, body -> ((ObjectNode) body.get("mappings")).putObject("_source")
        .putArray("excludes").add("body_chunks.embedding"));
    indexRandomChunks(http, index, chunks, ModelFolder.open(node.modelDir()).hiddenSize(), paragraphs);
    System.out.printf("%-9s %-30s %9s %9s %9s %11s%n", "chunks", "query", "p50 ms", "p90 ms", "p99 ms", "queries");
    timeAlternating(node, index, queryPrefix, questions.warmUp());
    double[][] alone = timeAlternating(node, index, queryPrefix, questions.alone());
    report(rows, chunks, "k-NN only (vector given)", alone[0]);
    report(rows, chunks, "modernbert_knn, cached", alone[2]);
    report(rows, chunks, "modernbert_hybrid, cached", alone[3]);
    report(rows, chunks, "modernbert_knn, cold", alone[1]);
    node.createIndex("load-" + chunks, "bench", body -> { });
    double[] busy = whileIngesting(http, "load-" + chunks, paragraphs,
        () -> time(http, index, questions.duringIngest().stream().map(q -> textQuery(model, q)).toList()));
    report(rows, chunks, "cold, during _bulk ingest", busy);
    Timing together = time(http, index, questions.concurrent().stream().map(q -> textQuery(model, q)).toList(),
        CLIENTS);
    report(rows, chunks, "cold, " + CLIENTS + " query clients at once", together.ms(), together.perSecond());
    System.out.printf("%-9d %-30s %9.1f%n", chunks, "embedding (cold − cached)",
        LatencyRecorder.percentile(alone[1], 50) - LatencyRecorder.percentile(alone[2], 50));
  }

  /**
   * For each question in turn, the milliseconds of the k-NN query with its vector given, of {@code modernbert_knn}
   * with its text (new to the node: {@code _embed} does not fill the query cache), of the same again (cached), and
   * of {@code modernbert_hybrid} with the same text (its vector cached: the fusion's own cost, BM25
   * included). The given vectors are embedded with {@code queryPrefix}, the model's, as {@code modernbert_knn}
   * embeds its text.
   */
  private static double[][] timeAlternating(BenchNode node, String index, String queryPrefix, List<String> questions)
      throws IOException {
    Http http = node.http;
    String model = node.model;
    List<String> knn = new ArrayList<>();
    for (String q : questions) {
      ObjectNode embed = JsonFiles.mapper().createObjectNode().put("model", model).put("prefix", queryPrefix);
      embed.putArray("texts").add(q);
      knn.add(knnQuery(node.engine, http.post("/_plugins/_modernbert/_embed", embed.toString()).body()
          .path("embeddings").get(0).path("embedding")));
    }
    List<String> text = questions.stream().map(q -> textQuery(model, q)).toList();
    return inTurn(http, List.of(new Searches(index, knn), new Searches(index, text), new Searches(index, text),
        new Searches(index, questions.stream().map(q -> hybridQuery(model, q)).toList())));
  }

  /** One kind of search: the index it asks and its body for each question. */
  record Searches(String index, List<String> bodies) {}

  /**
   * Client-side milliseconds of each kind's search for each question, one client, the kinds taking turns question
   * by question so that the node's warming up and background work weigh on each kind alike. A kind listed twice
   * with the same bodies sends each text the second time right after the first.
   */
  static double[][] inTurn(Http http, List<Searches> kinds) throws IOException {
    int questions = kinds.get(0).bodies().size();
    double[][] ms = new double[kinds.size()][questions];
    for (int i = 0; i < questions; i++) {
      for (int k = 0; k < kinds.size(); k++) {
        ms[k][i] = time(http, kinds.get(k).index(), kinds.get(k).bodies().get(i));
      }
    }
    return ms;
  }

  /**
   * What {@code work} measures while another client keeps sending {@code paragraphs} in {@code _bulk}s of 100 into
   * {@code index} (through its default pipeline), from the first bulk's end until {@code work} returns.
   */
  static double[] whileIngesting(Http http, String index, List<String> paragraphs, Timed work) throws IOException {
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> firstBulk = new CompletableFuture<>();
    int bulks = (paragraphs.size() + IngestBenchmark.BULK - 1) / IngestBenchmark.BULK;
    CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
      for (int b = 0; !stop.get(); b = (b + 1) % bulks) {
        try {
          IngestBenchmark.sendBulk(http, index, paragraphs, b * IngestBenchmark.BULK,
              Math.min((b + 1) * IngestBenchmark.BULK, paragraphs.size()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        firstBulk.complete(null);
      }
    });
    try {
      CompletableFuture.anyOf(firstBulk, load).join();
      return work.run();
    } finally {
      stop.set(true);
      load.join();
    }
  }

  /** A measurement that may fail with an I/O error. */
  @FunctionalInterface
  interface Timed {
    double[] run() throws IOException;
  }

  /** Random unit vectors for chunks whose texts are JSQuAD paragraphs, so that BM25 has Japanese to rank. */
  private static void indexRandomChunks(Http http, String index, int chunks, int dim, List<String> paragraphs)
      throws IOException {
    Random random = new Random(42);
    long t0 = System.nanoTime();
    StringBuilder bulk = new StringBuilder();
    for (int doc = 0; doc * CHUNKS_PER_DOC < chunks; doc++) {
      bulk.append("{\"index\":{\"_id\":\"").append(doc).append("\"}}\n{\"body_chunks\":[");
      for (int c = 0; c < CHUNKS_PER_DOC; c++) {
        bulk.append(c == 0 ? "" : ",").append("{\"start\":").append(c).append(",\"end\":").append(c + 1)
            .append(",\"text\":").append(JsonFiles.mapper().writeValueAsString(
                paragraphs.get((doc * CHUNKS_PER_DOC + c) % paragraphs.size())))
            .append(",\"embedding\":").append(Arrays.toString(unitVector(random, dim))).append('}');
      }
      bulk.append("]}\n");
      if ((doc + 1) % 500 == 0 || (doc + 1) * CHUNKS_PER_DOC >= chunks) {
        http.bulkInto(index, bulk.toString());
        bulk.setLength(0);
        System.out.printf("\rindexed %d / %d chunks (%.0f s)", (doc + 1) * CHUNKS_PER_DOC, chunks,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    http.post("/" + index + "/_refresh", "{}");
    System.out.println();
  }

  private static float[] unitVector(Random random, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < dim; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  /** The k-NN query {@code modernbert_knn} runs on OpenSearch for the 10 best documents, with its vector given. */
  static String knnQuery(float[] vector) {
    return knnQuery(SearchEngine.OPENSEARCH, JsonFiles.mapper().valueToTree(vector));
  }

  /** The engine's own k-NN query that {@code modernbert_knn} becomes, with its vector given. */
  private static String knnQuery(SearchEngine engine, JsonNode vector) {
    String knn = engine == SearchEngine.OPENSEARCH
        ? "{\"knn\":{\"body_chunks.embedding\":{\"vector\":" + vector + ",\"k\":10}}}"
        : "{\"knn\":{\"field\":\"body_chunks.embedding\",\"query_vector\":" + vector + ",\"k\":10}}";
    return "{\"size\":10,\"_source\":false,\"query\":{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\","
        + "\"query\":" + knn + "}}}";
  }

  /** A {@code modernbert_knn} search for the 10 best documents by their chunks, with the model's query prefix. */
  static String textQuery(String model, String question) {
    return textQuery(model, question, null);
  }

  /** The same with {@code prefix} instead of the model's query prefix ({@code null}: the model's). */
  static String textQuery(String model, String question, String prefix) {
    ObjectNode body = JsonFiles.mapper().createObjectNode().put("size", 10).put("_source", false);
    ObjectNode knn = body.putObject("query").putObject("modernbert_knn").put("field", "body_chunks.embedding")
        .put("model", model).put("query_text", question).put("k", 10);
    if (prefix != null) {
      knn.put("prefix", prefix);
    }
    return body.toString();
  }

  /** A {@code modernbert_hybrid} search for the 10 best documents, with the fusion's defaults. */
  static String hybridQuery(String model, String question) {
    ObjectNode body = JsonFiles.mapper().createObjectNode().put("size", 10).put("_source", false);
    body.putObject("query").putObject("modernbert_hybrid").put("field", "body_chunks.embedding").put("model", model)
        .put("query_text", question);
    return body.toString();
  }

  /** Milliseconds per request, one client. */
  static double[] time(Http http, String index, List<String> bodies) throws IOException {
    return time(http, index, bodies, 1).ms();
  }

  /** Client-side milliseconds of one search. */
  private static double time(Http http, String index, String body) throws IOException {
    long t = System.nanoTime();
    check(http.post("/" + index + "/_search", body));
    return (System.nanoTime() - t) / 1e6;
  }

  /** Client-side milliseconds of each request, and requests answered per second of wall-clock time. */
  record Timing(double[] ms, double perSecond) {}

  /** The searches {@code bodies} sent by {@code clients} clients at once, each sending the next one not yet sent. */
  static Timing time(Http http, String index, List<String> bodies, int clients) throws IOException {
    double[] ms = new double[bodies.size()];
    AtomicInteger next = new AtomicInteger();
    Callable<Void> client = () -> {
      for (int i = next.getAndIncrement(); i < ms.length; i = next.getAndIncrement()) {
        ms[i] = time(http, index, bodies.get(i));
      }
      return null;
    };
    long t0 = System.nanoTime();
    IngestBenchmark.runClients(client, clients, "searching " + index);
    return new Timing(ms, bodies.size() / ((System.nanoTime() - t0) / 1e9));
  }

  private static void check(Http.Response r) throws IOException {
    if (r.status() != 200 || r.body().path("hits").path("hits").size() == 0) {
      throw new IOException("search failed: HTTP " + r.status() + " " + r.body());
    }
  }

  /** A row of one client's searches: they answered one after another, so the rate is the count over their sum. */
  private static void report(ArrayNode rows, int chunks, String what, double[] ms) {
    report(rows, chunks, what, ms, 1000 * ms.length / Arrays.stream(ms).sum());
  }

  private static void report(ArrayNode rows, int chunks, String what, double[] ms, double perSecond) {
    double p50 = LatencyRecorder.percentile(ms, 50);
    double p90 = LatencyRecorder.percentile(ms, 90);
    double p99 = LatencyRecorder.percentile(ms, 99);
    rows.addObject().put("chunks", chunks).put("query", what).put("p50_ms", p50).put("p90_ms", p90).put("p99_ms", p99)
        .put("queries_per_s", perSecond);
    System.out.printf("%-9d %-30s %9.1f %9.1f %9.1f %9.0f/s%n", chunks, what, p50, p90, p99, perSecond);
  }
}
