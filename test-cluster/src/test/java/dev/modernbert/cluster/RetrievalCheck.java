package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.Quantization;
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
import org.junit.jupiter.api.TestInstance;

/**
 * Meaning survives the whole path, on either engine. A real text encoder (bge-small-zh-v1.5, as an exported-ONNX
 * folder) indexes every JSQuAD validation paragraph through the processor, and JSQuAD's questions are asked with
 * {@code modernbert_knn}: Recall@10 is far above a random ranking, and the top-10 documents equal a brute-force
 * ranking of vectors the engine computes outside the node, as {@code ./modernbert embed} does (no prefix,
 * normalized, the model's token limit). Both editions run the same engine, so both equal the same brute force.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RetrievalCheck {
  static final String MODEL = "bge-small-zh";
  private static final int QUESTION_STRIDE = 15;
  Path work;
  LocalCluster cluster;
  Http http;
  JsquadCorpus corpus;

  /** The engine under test and the HTTP port of its node. */
  abstract SearchEngine engine();

  abstract int port();

  /** The node's {@code plugins.modernbert.quantization}; the vectors it is compared with are computed alike. */
  Quantization quantization() {
    return Quantization.NONE;
  }

  @BeforeAll
  void indexTheCorpus() throws Exception {
    work = EndToEnd.work("retrieval-it-" + engine().id());
    Path folder = work.resolve("models").resolve(MODEL);
    FileTrees.delete(folder);
    FileTrees.copy(Path.of("src/test/resources/bge-small-zh-v1.5"), folder, p -> !p.toString().endsWith(".md"));
    Path jar = Path.of(System.getProperty("modernbert.bge"));
    Files.copy(jar.resolve("bge-small-zh-v1.5.onnx"), folder.resolve("model.onnx"));
    Files.copy(jar.resolve("bge-small-zh-v1.5-tokenizer.json"), folder.resolve("tokenizer.json"));
    cluster = EndToEnd.cluster(work, engine());
    cluster.start(1, port(), work.resolve("models"), "1g",
        Map.of("plugins.modernbert.quantization", quantization().id()));
    http = new Http(port());
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
  }

  @AfterAll
  void stopNode() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void recallIsFarAboveRandomAndEqualsBruteForceOverTheEnginesVectors() throws Exception {
    List<JsquadCorpus.Question> questions = IntStream.range(0, corpus.questions().size())
        .filter(i -> i % QUESTION_STRIDE == 0).mapToObj(corpus.questions()::get).toList();
    BruteForce bruteForce = bruteForce(questions, quantization());
    int sameTop10 = 0;
    int foundByQuery = 0;
    int foundByBruteForce = 0;
    for (int i = 0; i < questions.size(); i++) {
      JsquadCorpus.Question q = questions.get(i);
      List<String> searched = top10("jsquad", q.text());
      List<String> brute = bruteForce.top10(i);
      sameTop10 += new HashSet<>(searched).equals(new HashSet<>(brute)) ? 1 : 0;
      foundByQuery += searched.contains(String.valueOf(q.paragraph())) ? 1 : 0;
      foundByBruteForce += brute.contains(String.valueOf(q.paragraph())) ? 1 : 0;
    }
    double recall = foundByQuery / (double) questions.size();
    double random = 10.0 / corpus.paragraphs().size();
    System.out.printf("retrieval check (" + engine().id() + "): %d questions, Recall@10 %.3f via modernbert_knn, %.3f brute force"
        + " (random %.3f); same top-10 set for %d%n", questions.size(), recall,
        foundByBruteForce / (double) questions.size(), random, sameTop10);
    assertTrue(recall > 0.5 && recall > 20 * random, "Recall@10 " + recall);
    assertTrue(sameTop10 >= 0.95 * questions.size(), sameTop10 + " of " + questions.size() + " top-10 sets agree");
    assertEquals(foundByBruteForce, foundByQuery, 0.02 * questions.size());
  }

  List<String> ids(String index, String query) throws IOException {
    Http.Response r = http.post("/" + index + "/_search", "{\"size\":10,\"_source\":false,\"query\":" + query + "}");
    assertEquals(200, r.status(), r.body().toString());
    List<String> ids = new ArrayList<>();
    r.body().path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  /** The engine's vectors, computed outside the node, of the stored passages (by document id) and the questions. */
  record BruteForce(Map<String, List<float[]>> passages, List<float[]> questions) {
    /** The ids of the 10 documents whose best passage is closest to question {@code i}. */
    List<String> top10(int i) {
      return bruteForceTop10(questions.get(i), passages);
    }
  }

  /** Exact search over the stored passages' and {@code questions}' vectors in format {@code q}. */
  BruteForce bruteForce(List<JsquadCorpus.Question> questions, Quantization q) throws IOException {
    Map<String, List<String>> chunks = storedChunkTexts();
    List<String> texts = new ArrayList<>();
    chunks.values().forEach(texts::addAll);
    questions.forEach(question -> texts.add(question.text()));
    List<float[]> vectors = embedOutsideTheNode(texts, q);
    Map<String, List<float[]>> passages = new LinkedHashMap<>();
    int next = 0;
    for (Map.Entry<String, List<String>> e : chunks.entrySet()) {
      passages.put(e.getKey(), vectors.subList(next, next + e.getValue().size()));
      next += e.getValue().size();
    }
    return new BruteForce(passages, vectors.subList(next, vectors.size()));
  }

  /** Document id → the texts of its chunks as the processor stored them. */
  private Map<String, List<String>> storedChunkTexts() throws IOException {
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

  /** The engine's vectors of {@code texts} in format {@code q}, in this JVM, with its own compile cache. */
  private List<float[]> embedOutsideTheNode(List<String> texts, Quantization q) {
    try (LoadedModel m = LoadedModel.load(work.resolve("models").resolve(MODEL),
        EngineSettings.defaults().withCacheDir(work.resolve("engine-cache")).withQuantization(q))) {
      return m.embedder(m.folder().maxTokens()).embed(texts, "", true).stream().map(TextEmbedder.Embedding::vector)
          .toList();
    }
  }

  List<String> top10(String index, String question) throws IOException {
    return ids(index, "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":"
        + JsonFiles.mapper().writeValueAsString(question) + ",\"k\":10}}");
  }

  private static List<String> bruteForceTop10(float[] q, Map<String, List<float[]>> chunkVectors) {
    Map<String, Double> best = new LinkedHashMap<>();
    chunkVectors.forEach((id, vs) -> best.put(id, vs.stream().mapToDouble(v -> Pooling.cosine(q, v)).max().orElseThrow()));
    return best.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(10).map(Map.Entry::getKey).toList();
  }
}
