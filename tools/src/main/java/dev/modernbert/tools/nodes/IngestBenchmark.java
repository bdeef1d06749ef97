package dev.modernbert.tools.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.cluster.Http;
import dev.modernbert.cluster.IndexSetup;
import dev.modernbert.cluster.SearchEngine;
import dev.modernbert.tools.bench.Machine;
import dev.modernbert.tools.bench.Stats;
import dev.modernbert.inference.chunking.Boundary;
import dev.modernbert.inference.chunking.ChunkingOptions;
import dev.modernbert.tools.cli.Args;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.DocumentEmbedder;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.stats.InferenceStats;
import dev.modernbert.ingest.EmbeddingProcessorFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./modernbert bench ingest [--shape 30m] [--docs 1145] [--long-docs 4] [--doc-chars 50000] [--rounds 3]}:
 * documents through {@code _bulk} (bulks of 100) and the {@code modernbert_embedding} pipeline on a real node —
 * JSQuAD paragraphs, long documents built from them, and the paragraphs again with late chunking — reporting
 * docs/s, chunks/s, tokens/s and the padding ratio from the node's stats; and, with the node idle, the engine
 * alone in this JVM on the same texts in the processor's sub-batches (same model, chunking and prefix): the ratio is
 * what the plugin keeps of the engine's speed. Each workload is indexed {@code --rounds} times into a fresh index,
 * each round followed by one engine pass, after the node has indexed every workload once untimed and the engine has
 * made one untimed pass of the workload (the first loads the model, and after a short warm-up both sides kept
 * speeding up for thousands of documents); the median round of each is reported (every round is in the JSON).
 */
final class IngestBenchmark {
  static final int BULK = 100;
  /** The documents the processor embeds together from one bulk. */
  private static final int SUB_BATCH = Math.min(BULK, EmbeddingProcessorFactory.DEFAULT_BATCH_SIZE);

  private IngestBenchmark() {}

  /** Tokens per span in the late-chunking workload: a sentence or two of JSQuAD. */
  private static final int LATE_CHUNK_TOKENS = 32;

  /** One workload: its name, its documents and its late chunking ({@code late_chunk_tokens}; 0 = off). */
  private record Workload(String name, List<String> texts, int lateChunkTokens) {
    String pipeline() {
      return lateChunkTokens == 0 ? "bench" : "bench-late";
    }

    ChunkingOptions chunking(int maxTokens) {
      return new ChunkingOptions(maxTokens, 0, Boundary.SENTENCE, lateChunkTokens, ChunkingOptions.DEFAULT_MAX_CHUNKS);
    }
  }

  static int run(List<String> argv) throws Exception {
    Args a = ClusterMain.options(argv, "shape", "docs", "long-docs", "doc-chars", "rounds", "engine");
    SearchEngine engineKind = ClusterMain.engine(a);
    String shape = a.get("shape", "30m");
    int maxDocs = a.intValue("docs", Integer.MAX_VALUE, 1);
    int longDocs = a.intValue("long-docs", 4, 1);
    int docChars = a.intValue("doc-chars", 50_000, 1);
    int rounds = a.intValue("rounds", 3, 1);
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    int docs = Math.min(maxDocs, corpus.paragraphs().size());
    List<String> paragraphs = corpus.paragraphs().subList(0, docs).stream().map(JsquadCorpus.Paragraph::text).toList();
    List<Workload> workloads = List.of(new Workload("JSQuAD paragraphs", paragraphs, 0),
        new Workload("long documents", longDocuments(corpus, longDocs, docChars), 0),
        new Workload("JSQuAD paragraphs, late chunking (" + LATE_CHUNK_TOKENS + "-token spans)", paragraphs,
            LATE_CHUNK_TOKENS));
    ObjectNode report = JsonFiles.mapper().createObjectNode().put("shape", shape).put("machine", Machine.describe())
        .put("rounds", rounds);
    ArrayNode rows = report.putArray("results");
    String name;
    try (BenchNode node = BenchNode.start(shape, engineKind)) {
      name = node.resultName("ingest");
      IndexSetup.putPipeline(node.http, "bench", IndexSetup.processor(node.model));
      ObjectNode late = IndexSetup.processor(node.model);
      late.putObject("chunking").put("late_chunk_tokens", LATE_CHUNK_TOKENS);
      IndexSetup.putPipeline(node.http, "bench-late", late);
      for (Workload w : workloads) {
        node.createIndex("ingest", w.pipeline(), body -> { });
        bulkIndex(node.http, "ingest", w.texts(), w.name() + " (warm-up)");
      }
      ObjectNode nodeRounds = report.putObject("node_tokens_per_s_by_round");
      ObjectNode engineRounds = report.putObject("engine_tokens_per_s_by_round");
      for (Workload w : workloads) {
        rows.add(inTurn(node, w, rounds, nodeRounds.putArray(w.name()), engineRounds.putArray(w.name())));
      }
    }
    BenchNode.save("ingest", name, shape, a.given("shape"),
        "one node, _bulk of 100, default chunking unless the workload says otherwise", report, null);
    return 0;
  }

  private static List<String> longDocuments(JsquadCorpus corpus, int count, int chars) {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (int d = 0; d < count; d++) {
      StringBuilder b = new StringBuilder();
      while (b.length() < chars) {
        b.append(corpus.paragraphs().get(next++ % corpus.paragraphs().size()).text()).append('\n');
      }
      out.add(b.substring(0, chars));
    }
    return out;
  }

  /**
   * {@code w}'s node rounds and engine passes taking turns, after an untimed engine pass: each round indexes
   * {@code w} into a fresh index, deletes it so that the node is idle, then runs the engine alone once. A machine
   * whose speed drifts over minutes then weighs on both sides alike (timed one side after the other, a 130m run
   * once read 81% where the same node, minutes earlier, had kept all of the engine's speed). The row is the node
   * round of {@link Stats#upperMedian} tokens/s (a row must be one real round), against the engine passes' upper
   * median; every round of each side goes to {@code nodeAll} and {@code engineAll}.
   */
  private static ObjectNode inTurn(BenchNode node, Workload w, int rounds, ArrayNode nodeAll, ArrayNode engineAll)
      throws IOException {
    try (LoadedModel m = LoadedModel.load(node.modelDir(),
        EngineSettings.defaults().withCacheDir(node.work.resolve("engine-cache")))) {
      DocumentEmbedder embedder = new DocumentEmbedder(m, w.chunking(m.folder().maxTokens()),
          m.folder().profile().documentPrefix(), new InferenceStats());
      enginePass(embedder, w.texts());
      List<ObjectNode> measured = new ArrayList<>();
      double[] engine = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        node.createIndex("ingest", w.pipeline(), body -> { });
        measured.add(ingest(node, w, " (round " + (r + 1) + "/" + rounds + ")"));
        node.http.delete("/ingest").ok("delete the round's index");
        engine[r] = enginePass(embedder, w.texts());
        System.out.printf("  engine alone: %.0f tokens/s%n", engine[r]);
      }
      double[] perSecond = measured.stream().mapToDouble(row -> row.path("tokens_per_s").asDouble()).toArray();
      Arrays.stream(perSecond).forEach(nodeAll::add);
      Arrays.stream(engine).forEach(engineAll::add);
      double median = Stats.upperMedian(perSecond);
      ObjectNode row = measured.stream().filter(x -> x.path("tokens_per_s").asDouble() == median).findFirst()
          .orElseThrow();
      double engineMedian = Stats.upperMedian(engine);
      row.put("engine_tokens_per_s", engineMedian).put("plugin_share", median / engineMedian);
      System.out.printf("%s: engine alone %.0f tokens/s; the node keeps %.0f%%%n", w.name(), engineMedian,
          100 * median / engineMedian);
      return row;
    }
  }

  private static ObjectNode ingest(BenchNode node, Workload w, String round) throws IOException {
    JsonNode before = stats(node);
    double seconds = bulkIndex(node.http, "ingest", w.texts(), w.name() + round);
    JsonNode after = stats(node);
    long chunks = after.path("chunks").asLong() - before.path("chunks").asLong();
    long tokens = after.path("tokens").asLong() - before.path("tokens").asLong();
    System.out.printf("  node: %.1f docs/s, %.1f chunks/s, %.0f tokens/s%n", w.texts().size() / seconds,
        chunks / seconds, tokens / seconds);
    return JsonFiles.mapper().createObjectNode().put("workload", w.name()).put("documents", w.texts().size())
        .put("characters", w.texts().stream().mapToLong(String::length).sum()).put("chunks", chunks)
        .put("tokens", tokens).put("seconds", seconds).put("docs_per_s", w.texts().size() / seconds)
        .put("chunks_per_s", chunks / seconds).put("tokens_per_s", tokens / seconds)
        .put("padding_ratio", paddingRatio(before, after));
  }

  /**
   * Indexes {@code texts} as {@code {"body": text}} documents (ids 0…n−1) into {@code index} through
   * {@code _bulk}s of 100, failing on any item error; returns the seconds taken.
   */
  static double bulkIndex(Http http, String index, List<String> texts, String label) throws IOException {
    return bulkIndex(http, index, texts, label, 1);
  }

  /**
   * Like {@link #bulkIndex(Http, String, List, String)}, from {@code clients} threads at once, each sending the
   * next bulk not yet sent (as a bulk loader with several workers does).
   */
  static double bulkIndex(Http http, String index, List<String> texts, String label, int clients)
      throws IOException {
    int bulks = (texts.size() + BULK - 1) / BULK;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Callable<Void> client = () -> {
      for (int b = next.getAndIncrement(); b < bulks; b = next.getAndIncrement()) {
        sendBulk(http, index, texts, b * BULK, Math.min((b + 1) * BULK, texts.size()));
        System.out.printf("\r%s: %d / %d bulks", label, done.incrementAndGet(), bulks);
      }
      return null;
    };
    long t0 = System.nanoTime();
    runClients(client, clients, "indexing into " + index);
    System.out.println();
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Runs {@code client} on {@code clients} threads at once until every one returns; the first failure is thrown
   * ({@code doing} names the work in an interruption's message).
   */
  static void runClients(Callable<Void> client, int clients, String doing) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      for (Future<Void> f : pool.invokeAll(Collections.nCopies(clients, client))) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + doing, e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  static void sendBulk(Http http, String index, List<String> texts, int from, int to) throws IOException {
    StringBuilder bulk = new StringBuilder();
    for (int i = from; i < to; i++) {
      bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n")
          .append(JsonFiles.mapper().createObjectNode().put("body", texts.get(i))).append('\n');
    }
    http.bulkInto(index, bulk.toString());
  }

  /** Padding over all batch slots of the model calls made between two stats readings. */
  private static double paddingRatio(JsonNode before, JsonNode after) {
    long padded = after.path("padded_tokens").asLong() - before.path("padded_tokens").asLong();
    long real = after.path("batch_tokens").asLong() - before.path("batch_tokens").asLong();
    return real + padded == 0 ? 0 : (double) padded / (real + padded);
  }

  private static JsonNode stats(BenchNode node) throws IOException {
    return node.http.get("/_plugins/_modernbert/stats").ok("read the stats").body().path("nodes").elements().next();
  }

  /** Tokens per second of one pass over {@code texts} in the processor's sub-batches. */
  private static double enginePass(DocumentEmbedder embedder, List<String> texts) {
    long tokens = 0;
    long t0 = System.nanoTime();
    for (int from = 0; from < texts.size(); from += SUB_BATCH) {
      for (DocumentEmbedder.Outcome o : embedder.embed(texts.subList(from, Math.min(from + SUB_BATCH,
          texts.size())))) {
        tokens += o.chunks().stream().mapToLong(DocumentEmbedder.EmbeddedChunk::tokens).sum();
      }
    }
    return tokens / ((System.nanoTime() - t0) / 1e9);
  }
}
