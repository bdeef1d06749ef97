package dev.modernbert.cluster;

import static dev.modernbert.cluster.EndToEnd.bulkLine;
import static dev.modernbert.cluster.EndToEnd.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.engine.TextEmbedder;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Elasticsearch edition on a real node (the Elasticsearch 9.5.3 integ-test distribution with this plugin's zip
 * installed by {@code elasticsearch-plugin install}, security off): a random 30m-shape model ingests JSQuAD
 * paragraphs and long documents through {@code _bulk} with the recommended mapping; offsets reproduce the text,
 * vectors equal the CLI engine's, bad documents fail alone with their reason; {@code modernbert_knn} finds what
 * brute force over the stored passage vectors finds and returns the best passages; {@code modernbert_hybrid} fuses
 * that ranking with BM25's over the passages; the analyzer is kuromoji.
 */
class ElasticsearchEndToEndIT {
  private static final int PORT = 9460;
  private static final String MODEL = "random-30m";
  private static final String PREFIX = "検索文書: ";
  private static final int MAX_TOKENS = 512;
  private static Path work;
  private static Path models;
  private static LocalCluster cluster;
  private static Http http;
  private static final Map<String, String> TEXTS = new LinkedHashMap<>();

  @BeforeAll
  static void startNodeAndIngest() throws Exception {
    work = EndToEnd.work("es-it");
    models = work.resolve("models");
    EndToEnd.randomModel(work, MODEL, ModelShape.M30, 5);
    cluster = EndToEnd.cluster(work, SearchEngine.ELASTICSEARCH);
    cluster.start(1, PORT, models, "1g");
    http = new Http(PORT);
    ObjectNode processor = IndexSetup.processor(MODEL).put("doc_vector_field", "body_vector");
    processor.putObject("chunking").put("max_tokens", MAX_TOKENS);
    IndexSetup.putPipeline(http, "mb", processor);
    IndexSetup.createIndex(http, "docs", IndexSetup.indexBody(http, MODEL, "mb", 1, 0));
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    TEXTS.putAll(EndToEnd.corpusDocuments(corpus, 150, 40_000, 90_000, 150_000));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void ingestsLongJapaneseDocumentsAndFindsTheirPassages() throws Exception {
    StringBuilder bulk = new StringBuilder();
    TEXTS.forEach((id, t) -> bulk.append(bulkLine(id, t)));
    bulk.append(bulkLine("number", 42)).append(bulkLine("mixed-array", List.of("文です。", 7)))
        .append(bulkLine("too-many-chunks", "これは文です。".repeat(150_000)))
        .append("{\"index\":{\"_id\":\"missing\"}}\n{\"title\":\"no body\"}\n");
    Http.Response r = http.bulk("/docs/_bulk?refresh=true", bulk.toString());
    assertEquals(200, r.status());
    Map<String, JsonNode> items = new LinkedHashMap<>();
    r.body().path("items").forEach(i -> items.put(i.path("index").path("_id").asText(), i.path("index")));
    for (String id : TEXTS.keySet()) {
      assertEquals(201, items.get(id).path("status").asInt(), id + ": " + items.get(id));
    }
    assertTrue(reason(items, "number").contains("field [body] is of type Integer"), reason(items, "number"));
    assertTrue(reason(items, "mixed-array").contains("element 1"), reason(items, "mixed-array"));
    assertTrue(reason(items, "too-many-chunks").contains("max_chunks (1000)"), reason(items, "too-many-chunks"));
    assertTrue(reason(items, "missing").contains("field [body] is missing"), reason(items, "missing"));

    Map<String, List<float[]>> passages = checkOffsetsAndVectors();
    JsonNode stats = http.get("/_plugins/_modernbert/stats").body().path("nodes").elements().next();
    assertEquals(TEXTS.size(), stats.path("documents").asInt(), stats.toString());
    assertEquals(4, stats.path("failures").asInt(), stats.toString());
    queryFindsTheBruteForceBestPassage(passages);
    hybridFusesTheVectorAndKeywordRankingsOfThePassages(passages);
  }

  /** The stored document with its vectors (Elasticsearch leaves them out of {@code _source} by default). */
  private static JsonNode doc(String id) throws Exception {
    return http.get("/docs/_doc/" + id + "?_source_exclude_vectors=false").body().path("_source");
  }

  /**
   * Every chunk's offsets tile and reproduce the source; sampled vectors equal the CLI engine's (cosine ≥ 0.99999).
   * Returns every document's passage vectors.
   */
  private static Map<String, List<float[]>> checkOffsetsAndVectors() throws Exception {
    List<String> sampleTexts = new ArrayList<>();
    List<float[]> sampleVectors = new ArrayList<>();
    Map<String, List<float[]>> all = new LinkedHashMap<>();
    int count = 0;
    for (Map.Entry<String, String> e : TEXTS.entrySet()) {
      JsonNode chunks = doc(e.getKey()).path("body_chunks");
      assertTrue(chunks.size() > 0, e.getKey());
      int expectedStart = 0;
      for (JsonNode c : chunks) {
        int start = c.path("start").asInt();
        int end = c.path("end").asInt();
        assertEquals(expectedStart, start, e.getKey() + ": chunks tile the text");
        assertEquals(e.getValue().substring(start, end), c.path("text").asText(), e.getKey());
        assertTrue(c.path("tokens").asInt() <= MAX_TOKENS);
        float[] v = VectorJson.floats(c.path("embedding"));
        assertEquals(256, v.length);
        if (count++ % 17 == 0) {
          sampleTexts.add(c.path("text").asText());
          sampleVectors.add(v);
        }
        all.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).add(v);
        expectedStart = end;
      }
      assertEquals(e.getValue().length(), expectedStart, e.getKey() + ": nothing dropped");
    }
    assertTrue(doc("long2").path("body_chunks").size() > 50, "a long document is cut into many windows");
    try (LoadedModel m = LoadedModel.load(models.resolve(MODEL),
        EngineSettings.defaults().withCacheDir(work.resolve("cli-cache")))) {
      List<TextEmbedder.Embedding> cli = m.embedder(MAX_TOKENS).embed(sampleTexts, PREFIX, true);
      for (int i = 0; i < cli.size(); i++) {
        double cos = Pooling.cosine(cli.get(i).vector(), sampleVectors.get(i));
        assertTrue(cos >= 0.99999, "chunk " + i + " cosine " + cos);
      }
    }
    return all;
  }

  /**
   * {@code modernbert_knn} (model from the index's pipeline) scores the best document by its best passage, as brute
   * force over every stored passage vector does, and returns that passage with its offsets.
   */
  private static void queryFindsTheBruteForceBestPassage(Map<String, List<float[]>> passages) throws Exception {
    String question = "瑠璃色はどんな色？";
    float[] q = queryVector(question);
    double best = passages.values().stream().flatMap(List::stream).mapToDouble(p -> Pooling.cosine(q, p)).max()
        .orElseThrow();
    JsonNode hits = http.post("/docs/_search", "{\"_source\":false,\"query\":{\"modernbert_knn\":{"
        + "\"field\":\"body_chunks.embedding\",\"query_text\":\"" + question + "\",\"k\":5,\"num_candidates\":2000,"
        + "\"inner_hits\":{\"size\":1}}}}").ok("search").body().path("hits").path("hits");
    assertTrue(hits.size() > 0, hits.toString());
    assertEquals((1 + best) / 2, hits.get(0).path("_score").asDouble(), 1e-4, "Elasticsearch's cosine score");
    JsonNode passage = hits.get(0).path("inner_hits").path("body_chunks").path("hits").path("hits").get(0)
        .path("_source");
    String id = hits.get(0).path("_id").asText();
    assertEquals(TEXTS.get(id).substring(passage.path("start").asInt(), passage.path("end").asInt()),
        passage.path("text").asText(), "the best passage with its offsets");
    assertTrue(passage.path("embedding").isMissingNode(), "passages come without their vectors");

    Http.Response notVector = http.post("/docs/_search", "{\"query\":{\"modernbert_knn\":{\"field\":\"body\","
        + "\"query_text\":\"質問\"}}}");
    assertEquals(400, notVector.status(), notVector.body().toString());
    assertTrue(notVector.body().toString().contains("must be a dense_vector field"), notVector.body().toString());
    JsonNode tokens = http.post("/docs/_analyze", "{\"analyzer\":\"modernbert_ja\",\"text\":\"関西国際空港\"}")
        .ok("analyze").body().path("tokens");
    List<String> terms = new ArrayList<>();
    tokens.forEach(t -> terms.add(t.path("token").asText()));
    assertEquals(List.of("関西", "国際", "空港"), terms.subList(0, 3), "kuromoji in search mode: " + terms);
    EndToEnd.unknownAnalyzerIsRefused(http);
    EndToEnd.diskWatermarksAreOff(http);
  }

  private static float[] queryVector(String question) throws Exception {
    return VectorJson.floats(http.post("/_plugins/_modernbert/_embed", "{\"model\":\"" + MODEL + "\",\"texts\":["
        + JsonFiles.mapper().valueToTree(question) + "],\"prefix\":\"検索クエリ: \"}").ok("embed").body()
        .path("embeddings").get(0).path("embedding"));
  }

  private static String hybrid(String text, String extra) {
    return "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + JsonFiles.mapper()
        .valueToTree(text) + extra + "}}";
  }

  private static List<String> top10(String query) throws Exception {
    JsonNode hits = http.post("/docs/_search", "{\"size\":10,\"_source\":false,\"query\":" + query + "}")
        .ok("search").body().path("hits").path("hits");
    List<String> ids = new ArrayList<>();
    hits.forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  /**
   * {@code modernbert_hybrid} on the one-shard index: each side of the fusion alone ranks documents as its own query
   * does — with the keyword weight 0, by their best passage's vector (brute force over the stored vectors); with the
   * vector weight 0, as BM25 over the passages. Both together return the best passages, work under a bool filter and
   * in {@code _explain}, and bad settings answer 400.
   */
  private static void hybridFusesTheVectorAndKeywordRankingsOfThePassages(Map<String, List<float[]>> passages)
      throws Exception {
    String question = "川の長さはどれくらいですか";
    float[] q = queryVector(question);
    List<String> expected = passages.entrySet().stream()
        .sorted(Comparator.comparingDouble((Map.Entry<String, List<float[]>> e) -> -e.getValue().stream()
            .mapToDouble(p -> Pooling.cosine(q, p)).max().orElseThrow()))
        .limit(10).map(Map.Entry::getKey).toList();
    assertEquals(expected, top10(hybrid(question, ",\"bm25_weight\":0,\"knn_depth\":10000")), "by vector alone");
    List<String> bm25 = top10("{\"nested\":{\"path\":\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":"
        + "{\"body_chunks.text\":" + JsonFiles.mapper().valueToTree(question) + "}}}}");
    assertTrue(bm25.size() >= 5, "the question's words are in several documents: " + bm25);
    assertEquals(bm25, top10(hybrid(question, ",\"knn_weight\":0,\"bm25_depth\":10000")), "by keyword alone");

    List<String> allowed = List.of(bm25.get(1), bm25.get(3), expected.get(2), "p7", "p8", "p9", "long1");
    JsonNode both = http.post("/docs/_search", "{\"size\":5,\"_source\":false,\"query\":{\"bool\":{\"must\":"
        + hybrid(question, ",\"inner_hits\":{\"size\":2}") + ",\"filter\":{\"ids\":{\"values\":"
        + JsonFiles.mapper().valueToTree(allowed) + "}}}}}").ok("search").body().path("hits").path("hits");
    assertTrue(both.size() >= 3, both.toString());
    for (JsonNode h : both) {
      assertTrue(allowed.contains(h.path("_id").asText()), "the filter holds: " + h.path("_id"));
      JsonNode passage = h.path("inner_hits").path("body_chunks").path("hits").path("hits").get(0).path("_source");
      String text = TEXTS.get(h.path("_id").asText());
      assertEquals(text.substring(passage.path("start").asInt(), passage.path("end").asInt()),
          passage.path("text").asText(), "the best passage with its offsets");
      assertTrue(passage.path("embedding").isMissingNode(), "passages come without their vectors");
    }
    Http.Response explained = http.post("/docs/_explain/" + expected.get(0), "{\"query\":" + hybrid(question, "")
        + "}");
    assertEquals(200, explained.status(), explained.body().toString());
    assertTrue(explained.body().path("matched").asBoolean(), explained.body().toString());
    assertTrue(explained.body().toString().contains("reciprocal rank fusion"), explained.body().toString());
    for (String bad : new String[] {",\"knn_depth\":0", ",\"rank_constant\":0", ",\"text_field\":\"body\"",
        ",\"bm25_weight\":\"x\""}) {
      Http.Response r = http.post("/docs/_search", "{\"query\":" + hybrid(question, bad) + "}");
      assertEquals(400, r.status(), bad + ": " + r.body());
    }
  }
}
