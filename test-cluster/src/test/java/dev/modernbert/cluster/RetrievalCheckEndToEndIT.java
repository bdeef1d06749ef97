package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.pooling.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Meaning survives the whole path. A real text encoder (bge-small-zh-v1.5, as an exported-ONNX folder) indexes
 * every JSQuAD validation paragraph through the processor, and JSQuAD's questions are asked with
 * {@code modernbert_knn}: Recall@10 is far above a random ranking, and the top-10 documents equal a brute-force
 * ranking of vectors the engine computes outside OpenSearch, as {@code ./modernbert embed} does (no prefix,
 * normalized, the model's token limit).
 */
class RetrievalCheckEndToEndIT {
  private static final int PORT = 9430;
  private static final String MODEL = "bge-small-zh";
  private static final int QUESTION_STRIDE = 15;
  private static final int PARAGRAPHS_PER_DOCUMENT = 20;
  private static final String LONG_INDEX = "jsquad-long";
  private static Path work;
  private static LocalCluster cluster;
  private static Http http;
  private static JsquadCorpus corpus;

  @BeforeAll
  static void indexTheCorpus() throws Exception {
    work = EndToEnd.work("retrieval-it");
    Path folder = work.resolve("models").resolve(MODEL);
    FileTrees.delete(folder);
    FileTrees.copy(Path.of("src/test/resources/bge-small-zh-v1.5"), folder, p -> !p.toString().endsWith(".md"));
    Path jar = Path.of(System.getProperty("modernbert.bge"));
    Files.copy(jar.resolve("bge-small-zh-v1.5.onnx"), folder.resolve("model.onnx"));
    Files.copy(jar.resolve("bge-small-zh-v1.5-tokenizer.json"), folder.resolve("tokenizer.json"));
    cluster = EndToEnd.cluster(work);
    cluster.start(1, PORT, work.resolve("models"), "1g");
    http = new Http(PORT);
    IndexSetup.putPipeline(http, "bge", IndexSetup.processor(MODEL));
    IndexSetup.createIndex(http, "jsquad", IndexSetup.indexBody(http, MODEL, "bge", 1, 0));
    corpus = JsquadCorpus.read(JsquadCorpus.locate());
    for (int from = 0; from < corpus.paragraphs().size(); from += 200) {
      StringBuilder bulk = new StringBuilder();
      for (int i = from; i < Math.min(from + 200, corpus.paragraphs().size()); i++) {
        bulk.append("{\"index\":{\"_id\":\"").append(i).append("\"}}\n")
            .append(JsonFiles.mapper().createObjectNode().put("body", corpus.paragraphs().get(i).text())).append('\n');
      }
      Http.Response r = http.bulk("/jsquad/_bulk", bulk.toString());
      assertFalse(r.body().path("errors").asBoolean(), r.body().toString());
    }
    http.post("/jsquad/_refresh", "{}");
    indexLongDocuments();
  }

  /** Documents of {@value #PARAGRAPHS_PER_DOCUMENT} consecutive paragraphs each, cut into passages by the processor. */
  private static void indexLongDocuments() throws IOException {
    IndexSetup.createIndex(http, LONG_INDEX, IndexSetup.indexBody(http, MODEL, "bge", 1, 0));
    StringBuilder bulk = new StringBuilder();
    for (int doc = 0; doc * PARAGRAPHS_PER_DOCUMENT < corpus.paragraphs().size(); doc++) {
      StringBuilder body = new StringBuilder();
      for (int i = doc * PARAGRAPHS_PER_DOCUMENT;
          i < Math.min((doc + 1) * PARAGRAPHS_PER_DOCUMENT, corpus.paragraphs().size()); i++) {
        body.append(corpus.paragraphs().get(i).text()).append("\n\n");
      }
      bulk.append("{\"index\":{\"_id\":\"").append(doc).append("\"}}\n")
          .append(JsonFiles.mapper().createObjectNode().put("body", body.toString())).append('\n');
    }
    Http.Response r = http.bulk("/" + LONG_INDEX + "/_bulk?refresh=true", bulk.toString());
    assertFalse(r.body().path("errors").asBoolean(), r.body().toString());
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void recallIsFarAboveRandomAndEqualsBruteForceOverTheEnginesVectors() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size())
        .filter(i -> i % QUESTION_STRIDE == 0).mapToObj(corpus.questions()::get).toList();
    Map<String, List<String>> chunks = storedChunkTexts();
    List<String> texts = new ArrayList<>();
    chunks.values().forEach(texts::addAll);
    questions.forEach(q -> texts.add(q.text()));
    List<float[]> vectors = embedOutsideTheNode(texts);

    Map<String, List<float[]>> chunkVectors = new LinkedHashMap<>();
    int next = 0;
    for (Map.Entry<String, List<String>> e : chunks.entrySet()) {
      chunkVectors.put(e.getKey(), vectors.subList(next, next + e.getValue().size()));
      next += e.getValue().size();
    }
    int sameTop10 = 0;
    int foundByQuery = 0;
    int foundByBruteForce = 0;
    for (int i = 0; i < questions.size(); i++) {
      JsquadCorpus.Question q = questions.get(i);
      List<String> searched = top10(q.text());
      List<String> brute = bruteForceTop10(vectors.get(next + i), chunkVectors);
      sameTop10 += new HashSet<>(searched).equals(new HashSet<>(brute)) ? 1 : 0;
      foundByQuery += searched.contains(String.valueOf(q.paragraph())) ? 1 : 0;
      foundByBruteForce += brute.contains(String.valueOf(q.paragraph())) ? 1 : 0;
    }
    double recall = foundByQuery / (double) questions.size();
    double random = 10.0 / corpus.paragraphs().size();
    System.out.printf("retrieval check: %d questions, Recall@10 %.3f via modernbert_knn, %.3f brute force"
        + " (random %.3f); same top-10 set for %d%n", questions.size(), recall,
        foundByBruteForce / (double) questions.size(), random, sameTop10);
    assertTrue(recall > 0.5 && recall > 20 * random, "Recall@10 " + recall);
    assertTrue(sameTop10 >= 0.95 * questions.size(), sameTop10 + " of " + questions.size() + " top-10 sets agree");
    assertEquals(foundByBruteForce, foundByQuery, 0.02 * questions.size());
  }

  /**
   * Keyword (BM25 over the passages with the plugin's Japanese analyzer), meaning ({@code modernbert_knn}) and both
   * ({@code modernbert_hybrid}, with equal weights and with BM25 weighted 2) on every third JSQuAD question:
   * Recall@10 and MRR@10 of the paragraph that answers it, printed for BENCHMARKS.md. The fusion must find clearly
   * more than meaning alone: what keywords add.
   */
  @Test
  void hybridFindsMoreThanMeaningAlone() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size()).filter(i -> i % 3 == 0)
        .mapToObj(corpus.questions()::get).toList();
    String[] kinds = {"bm25", "knn", "hybrid", "hybrid bm25_weight 2"};
    double[] found = new double[kinds.length];
    double[] reciprocalRank = new double[kinds.length];
    for (JsquadCorpus.Question q : questions) {
      String text = JsonFiles.mapper().writeValueAsString(q.text());
      String[] bodies = {"{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":"
          + "{\"body_chunks.text\":" + text + "}}}}",
          "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + ",\"k\":10}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + "}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text
              + ",\"bm25_weight\":2}}"};
      for (int k = 0; k < kinds.length; k++) {
        int rank = ids(bodies[k]).indexOf(String.valueOf(q.paragraph()));
        found[k] += rank >= 0 ? 1 : 0;
        reciprocalRank[k] += rank >= 0 ? 1.0 / (rank + 1) : 0;
      }
    }
    for (int k = 0; k < kinds.length; k++) {
      System.out.printf("retrieval quality: %s Recall@10 %.3f MRR@10 %.3f (%d questions)%n", kinds[k],
          found[k] / questions.size(), reciprocalRank[k] / questions.size(), questions.size());
    }
    assertTrue(found[2] >= found[1] + 0.03 * questions.size(), "hybrid Recall@10 " + found[2] / questions.size()
        + " against meaning alone " + found[1] / questions.size());
  }

  /**
   * The same three on long documents (20 paragraphs each, about 3,400 characters, cut into passages): Recall@10 and
   * MRR@10 of the document holding the question's paragraph, and how often the first document's best passage
   * contains the answer, which is what a RAG application reads. Printed for BENCHMARKS.md; the fusion must find at
   * least what meaning alone finds.
   */
  @Test
  void hybridOnLongDocumentsFindsAtLeastWhatMeaningFinds() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size()).filter(i -> i % 3 == 0)
        .mapToObj(corpus.questions()::get).toList();
    String[] kinds = {"bm25", "knn", "hybrid"};
    double[] found = new double[kinds.length];
    double[] reciprocalRank = new double[kinds.length];
    double[] answerInBestPassage = new double[kinds.length];
    String passage = "\"inner_hits\":{\"size\":1,\"_source\":[\"body_chunks.text\"]}";
    for (JsquadCorpus.Question q : questions) {
      String text = JsonFiles.mapper().writeValueAsString(q.text());
      String[] bodies = {"{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":"
          + "{\"body_chunks.text\":" + text + "}}," + passage + "}}",
          "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + ",\"k\":10,"
              + passage + "}}",
          "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + text + "," + passage
              + "}}"};
      String expected = String.valueOf(q.paragraph() / PARAGRAPHS_PER_DOCUMENT);
      for (int k = 0; k < kinds.length; k++) {
        Http.Response r = http.post("/" + LONG_INDEX + "/_search", "{\"size\":10,\"_source\":false,\"query\":"
            + bodies[k] + "}");
        assertEquals(200, r.status(), r.body().toString());
        JsonNode hits = r.body().path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_id").asText()));
        int rank = ids.indexOf(expected);
        found[k] += rank >= 0 ? 1 : 0;
        reciprocalRank[k] += rank >= 0 ? 1.0 / (rank + 1) : 0;
        JsonNode best = hits.path(0).path("inner_hits").path("body_chunks").path("hits").path("hits").path(0);
        answerInBestPassage[k] += best.path("_source").path("text").asText().contains(q.answer()) ? 1 : 0;
      }
    }
    for (int k = 0; k < kinds.length; k++) {
      System.out.printf("retrieval quality, long documents: %s Recall@10 %.3f MRR@10 %.3f answer in the best"
          + " passage %.3f (%d questions)%n", kinds[k], found[k] / questions.size(),
          reciprocalRank[k] / questions.size(), answerInBestPassage[k] / questions.size(), questions.size());
    }
    assertTrue(found[2] >= found[1], "hybrid Recall@10 " + found[2] / questions.size() + " against meaning alone "
        + found[1] / questions.size());
  }

  private static List<String> ids(String query) throws IOException {
    Http.Response r = http.post("/jsquad/_search", "{\"size\":10,\"_source\":false,\"query\":" + query + "}");
    assertEquals(200, r.status(), r.body().toString());
    List<String> ids = new ArrayList<>();
    r.body().path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  /** Document id → the texts of its chunks as the processor stored them. */
  private static Map<String, List<String>> storedChunkTexts() throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Http.Response r = http.post("/jsquad/_search?scroll=1m", "{\"size\":500,\"_source\":[\"body_chunks.text\"]}");
    while (r.body().path("hits").path("hits").size() > 0) {
      for (JsonNode hit : r.body().path("hits").path("hits")) {
        List<String> texts = new ArrayList<>();
        hit.path("_source").path("body_chunks").forEach(c -> texts.add(c.path("text").asText()));
        out.put(hit.path("_id").asText(), texts);
      }
      r = http.post("/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + r.body().path("_scroll_id").asText()
          + "\"}");
    }
    assertEquals(corpus.paragraphs().size(), out.size());
    return out;
  }

  /** The engine's vectors of {@code texts}, in this JVM, with its own compile cache. */
  private static List<float[]> embedOutsideTheNode(List<String> texts) {
    try (LoadedModel m = LoadedModel.load(work.resolve("models").resolve(MODEL),
        EngineSettings.defaults().withCacheDir(work.resolve("engine-cache")))) {
      return m.embedder(m.folder().maxTokens()).embed(texts, "", true).stream().map(TextEmbedder.Embedding::vector)
          .toList();
    }
  }

  private static List<String> top10(String question) throws IOException {
    return ids("{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":"
        + JsonFiles.mapper().writeValueAsString(question) + ",\"k\":10}}");
  }

  private static List<String> bruteForceTop10(float[] q, Map<String, List<float[]>> chunkVectors) {
    Map<String, Double> best = new LinkedHashMap<>();
    chunkVectors.forEach((id, vs) -> best.put(id, vs.stream().mapToDouble(v -> Pooling.cosine(q, v)).max().orElseThrow()));
    return best.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(10).map(Map.Entry::getKey).toList();
  }
}
