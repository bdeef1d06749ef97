package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code modernbert_knn} query on a real node with the real k-NN plugin, over a 2-shard index of nested
 * chunks written by the processor (tiny random model). Rankings and scores equal a brute-force ranking of the
 * stored chunk vectors; inner hits are the best chunks; the query composes with BM25, filters, explain and
 * validate; bad fields are refused with what to change.
 */
class SemanticSearchEndToEndIT {
  private static final int PORT = 9410;
  private static final String MODEL = "random-tiny";
  private static final int DOCS = 60;
  private static LocalCluster cluster;
  private static Http http;
  /** Document id → its chunks as stored (text, start, end, embedding). */
  private static final Map<String, List<JsonNode>> CHUNKS = new HashMap<>();

  @BeforeAll
  static void startNodeAndIndex() throws Exception {
    Path work = EndToEnd.work("search-it");
    EndToEnd.randomModel(work, MODEL, ModelShape.TINY, 3);
    cluster = EndToEnd.cluster(work);
    cluster.start(1, PORT, work.resolve("models"), "1g");
    http = new Http(PORT);
    ObjectNode processor = IndexSetup.processor(MODEL);
    processor.putObject("chunking").put("max_tokens", 48);
    IndexSetup.putPipeline(http, "mb", processor);
    ObjectNode index = IndexSetup.indexBody(http, MODEL, "mb", 2, 0);
    ((ObjectNode) index.path("mappings").path("properties")).putObject("lang").put("type", "keyword");
    IndexSetup.createIndex(http, "docs", index);

    indexDocuments("docs");
    JsonNode all = http.post("/docs/_search", "{\"size\":" + DOCS + ",\"_source\":[\"body_chunks\"]}").body();
    for (JsonNode hit : all.path("hits").path("hits")) {
      List<JsonNode> chunks = new ArrayList<>();
      hit.path("_source").path("body_chunks").forEach(chunks::add);
      CHUNKS.put(hit.path("_id").asText(), chunks);
    }
    assertEquals(DOCS, CHUNKS.size());
  }

  /** The first {@link #DOCS} JSQuAD paragraphs, every other one in {@code lang} ja, through the pipeline. */
  private static void indexDocuments(String index) throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < DOCS; i++) {
      ObjectNode doc = JsonFiles.mapper().createObjectNode();
      doc.put("body", corpus.paragraphs().get(i).text()).put("lang", i % 2 == 0 ? "ja" : "other");
      bulk.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n").append(doc).append('\n');
    }
    Http.Response r = http.bulk("/" + index + "/_bulk?refresh=true", bulk.toString());
    assertFalse(r.body().path("errors").asBoolean(), r.body().toString());
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  private static JsonNode search(String query) throws Exception {
    return searchIn("docs", query);
  }

  private static JsonNode searchIn(String index, String query) throws Exception {
    Http.Response r = http.post("/" + index + "/_search", query);
    assertEquals(200, r.status(), r.body().toString());
    return r.body().path("hits");
  }

  private static String knn(String text, String extra) {
    return "{\"modernbert_knn\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + JsonFiles.mapper()
        .valueToTree(text) + extra + "}}";
  }

  private static float[] queryVector(String text, String prefix) throws Exception {
    JsonNode v = http.post("/_plugins/_modernbert/_embed", "{\"model\":\"" + MODEL + "\",\"texts\":["
        + JsonFiles.mapper().valueToTree(text) + "],\"prefix\":\"" + prefix + "\"}").body()
        .path("embeddings").get(0).path("embedding");
    return VectorJson.floats(v);
  }

  /** Document ids by their best chunk's k-NN score, (1 + cos) / 2, best first. */
  private static List<Map.Entry<String, Double>> bruteForce(float[] q) {
    Map<String, Double> best = new HashMap<>();
    CHUNKS.forEach((id, chunks) -> best.put(id, chunks.stream()
        .mapToDouble(c -> (1 + Pooling.cosine(q, VectorJson.floats(c.path("embedding")))) / 2).max().orElseThrow()));
    return best.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).toList();
  }

  @Test
  void ranksDocumentsByTheirBestChunkExactlyAsBruteForce() throws Exception {
    String question = "東京の人口はどれくらいですか？";
    JsonNode hits = search("{\"size\":5,\"_source\":false,\"query\":" + knn(question, ",\"k\":5") + "}");
    List<Map.Entry<String, Double>> expected = bruteForce(queryVector(question, "検索クエリ: "));
    assertEquals(5, hits.path("hits").size());
    for (int i = 0; i < 5; i++) {
      JsonNode hit = hits.path("hits").get(i);
      assertEquals(expected.get(i).getKey(), hit.path("_id").asText(), "rank " + i);
      assertEquals(expected.get(i).getValue(), hit.path("_score").asDouble(), 1e-4, "rank " + i);
    }
  }

  @Test
  void aChunksOwnTextWithTheDocumentPrefixFindsItFirstWithItsPassages() throws Exception {
    JsonNode target = CHUNKS.get("d7").get(0);
    String text = target.path("text").asText();
    JsonNode hits = search("{\"size\":3,\"_source\":false,\"query\":" + knn(text, ",\"prefix\":\"検索文書: \","
        + "\"inner_hits\":{\"size\":3}") + "}");
    JsonNode top = hits.path("hits").get(0);
    assertEquals("d7", top.path("_id").asText());
    assertEquals(1.0, top.path("_score").asDouble(), 1e-4, "identical vectors score 1");
    JsonNode passages = top.path("inner_hits").path("body_chunks").path("hits").path("hits");
    assertEquals(Math.min(3, CHUNKS.get("d7").size()), passages.size(), passages.toString());
    JsonNode best = passages.get(0);
    assertEquals(top.path("_score").asDouble(), best.path("_score").asDouble(), 1e-6, "parent = best chunk");
    assertEquals(text, best.path("_source").path("text").asText());
    assertEquals(target.path("start").asInt(), best.path("_source").path("start").asInt());
    assertEquals(target.path("end").asInt(), best.path("_source").path("end").asInt());
    assertTrue(best.path("_source").path("embedding").isMissingNode(), "passages come without their vector");
    for (int i = 1; i < passages.size(); i++) {
      assertTrue(passages.get(i).path("_score").asDouble() <= passages.get(i - 1).path("_score").asDouble());
    }
  }

  @Test
  void filterMinScoreBoostAndHybridBool() throws Exception {
    String question = "川の長さ";
    JsonNode filtered = search("{\"size\":10,\"_source\":[\"lang\"],\"query\":" + knn(question,
        ",\"k\":10,\"filter\":{\"term\":{\"lang\":\"ja\"}}") + "}");
    assertEquals(10, filtered.path("hits").size());
    filtered.path("hits").forEach(h -> assertEquals("ja", h.path("_source").path("lang").asText()));

    List<Map.Entry<String, Double>> expected = bruteForce(queryVector(question, "検索クエリ: "));
    double threshold = (expected.get(2).getValue() + expected.get(3).getValue()) / 2;
    JsonNode above = search("{\"size\":10,\"_source\":false,\"query\":" + knn(question,
        ",\"k\":10,\"min_score\":" + threshold) + "}");
    assertEquals(3, above.path("hits").size(), "min_score keeps the three documents above it");

    JsonNode boosted = search("{\"size\":1,\"_source\":false,\"query\":" + knn(question, ",\"boost\":2.0") + "}");
    assertEquals(2 * expected.get(0).getValue(), boosted.path("hits").get(0).path("_score").asDouble(), 1e-4);

    JsonNode hybrid = search("{\"size\":5,\"_source\":false,\"query\":{\"bool\":{\"should\":[" + knn(question,
        ",\"_name\":\"semantic\"") + ",{\"match\":{\"body\":{\"query\":\"川\",\"_name\":\"bm25\"}}}]}}}");
    assertTrue(hybrid.path("hits").size() > 0);
    assertTrue(hybrid.toString().contains("semantic"), "named query reported: " + hybrid);
  }

  /** The plugin's kuromoji analyzer on the node, in the recommended mapping, and BM25 over passages with it. */
  @Test
  void passagesAreFoundByTheirJapaneseWords() throws Exception {
    JsonNode analyzed = http.post("/docs/_analyze", "{\"analyzer\":\"modernbert_ja\",\"text\":\"東京都に住んでいる\"}")
        .body();
    List<String> terms = new ArrayList<>();
    analyzed.path("tokens").forEach(t -> terms.add(t.path("token").asText()));
    assertEquals(List.of("東京", "都", "住む"), terms, analyzed.toString());
    JsonNode mapping = http.get("/docs/_mapping").body().path("docs").path("mappings").path("properties");
    assertEquals("modernbert_ja", mapping.path("body_chunks").path("properties").path("text").path("analyzer").asText());
    assertEquals("modernbert_ja", mapping.path("body").path("analyzer").asText());
    EndToEnd.unknownAnalyzerIsRefused(http);

    String passage = CHUNKS.get("d7").get(0).path("text").asText();
    String word = "";
    for (JsonNode t : http.post("/docs/_analyze", JsonFiles.mapper().createObjectNode()
        .put("analyzer", "modernbert_ja").put("text", passage).toString()).body().path("tokens")) {
      word = t.path("token").asText().length() > word.length() ? t.path("token").asText() : word;
    }
    JsonNode hits = search("{\"size\":20,\"_source\":false,\"query\":{\"nested\":{\"path\":\"body_chunks\","
        + "\"query\":{\"match\":{\"body_chunks.text\":" + JsonFiles.mapper().writeValueAsString(word) + "}},"
        + "\"inner_hits\":{\"_source\":[\"body_chunks.text\"]}}}}").path("hits");
    List<String> ids = new ArrayList<>();
    hits.forEach(h -> ids.add(h.path("_id").asText()));
    assertTrue(ids.contains("d7"), "the passage's longest word " + word + " finds its document: " + ids);
    for (JsonNode h : hits) {
      if (h.path("_id").asText().equals("d7")) {
        JsonNode passages = h.path("inner_hits").path("body_chunks").path("hits").path("hits");
        assertTrue(passages.toString().contains(word), "the passage with " + word + " is among " + passages);
      }
    }
  }

  private static String hybrid(String text, String extra) {
    return "{\"modernbert_hybrid\":{\"field\":\"body_chunks.embedding\",\"query_text\":" + JsonFiles.mapper()
        .valueToTree(text) + extra + "}}";
  }

  private static List<String> ids(JsonNode hits) {
    List<String> ids = new ArrayList<>();
    hits.path("hits").forEach(h -> ids.add(h.path("_id").asText()));
    return ids;
  }

  /**
   * Each side of the fusion alone ranks documents as its own query does: with the keyword weight 0, by their best
   * passage's vector (brute force over the stored vectors); with the vector weight 0, as BM25 over the passages.
   * Both together return the best passages, work under a bool filter, and bad settings answer 400.
   */
  @Test
  void hybridFusesTheVectorAndKeywordRankingsOfThePassages() throws Exception {
    // the fusion runs per shard: on one shard it is the fusion of the index's rankings, which is checked here
    ObjectNode oneShard = IndexSetup.indexBody(http, MODEL, "mb", 1, 0);
    ((ObjectNode) oneShard.path("mappings").path("properties")).putObject("lang").put("type", "keyword");
    IndexSetup.createIndex(http, "docs1", oneShard);
    indexDocuments("docs1");
    String question = "川の長さはどれくらいですか";
    List<String> byVector = ids(searchIn("docs1", "{\"size\":10,\"_source\":false,\"query\":"
        + hybrid(question, ",\"bm25_weight\":0,\"knn_depth\":10000") + "}"));
    List<String> expected = bruteForce(queryVector(question, "検索クエリ: ")).stream().limit(10)
        .map(Map.Entry::getKey).toList();
    assertEquals(expected, byVector);

    List<String> byKeyword = ids(searchIn("docs1", "{\"size\":10,\"_source\":false,\"query\":"
        + hybrid(question, ",\"knn_weight\":0,\"bm25_depth\":10000") + "}"));
    List<String> bm25 = ids(searchIn("docs1", "{\"size\":10,\"_source\":false,\"query\":{\"nested\":{\"path\":"
        + "\"body_chunks\",\"score_mode\":\"max\",\"query\":{\"match\":{\"body_chunks.text\":"
        + JsonFiles.mapper().valueToTree(question) + "}}}}}"));
    assertEquals(bm25, byKeyword);

    JsonNode both = searchIn("docs1", "{\"size\":5,\"_source\":[\"lang\"],\"query\":{\"bool\":{\"must\":" + hybrid(question,
        ",\"inner_hits\":{\"size\":2}") + ",\"filter\":{\"term\":{\"lang\":\"ja\"}}}}}");
    assertEquals(5, both.path("hits").size());
    for (JsonNode h : both.path("hits")) {
      assertEquals("ja", h.path("_source").path("lang").asText());
      JsonNode passage = h.path("inner_hits").path("body_chunks").path("hits").path("hits").get(0).path("_source");
      assertTrue(passage.path("end").asInt() > passage.path("start").asInt(), passage.toString());
      assertFalse(passage.has("embedding"), "passages come without their vectors");
    }
    Http.Response explained = http.post("/docs1/_explain/" + byVector.get(0), "{\"query\":"
        + hybrid(question, "") + "}");
    assertEquals(200, explained.status(), explained.body().toString());
    assertTrue(explained.body().path("matched").asBoolean(), explained.body().toString());
    assertTrue(explained.body().toString().contains("reciprocal rank fusion"), explained.body().toString());
    for (String bad : new String[] {",\"knn_depth\":0", ",\"rank_constant\":0", ",\"text_field\":\"lang\""}) {
      Http.Response r = http.post("/docs1/_search", "{\"query\":" + hybrid(question, bad) + "}");
      assertEquals(400, r.status(), bad + ": " + r.body());
    }
  }

  @Test
  void modelDefaultsToThePipelinesAndRepeatsComeFromTheCache() throws Exception {
    String body = "{\"size\":3,\"_source\":false,\"query\":" + knn("富士山の高さは？", "") + "}";
    JsonNode before = stats();
    JsonNode first = search(body);
    JsonNode again = search(body);
    assertEquals(first.path("hits").toString(), again.path("hits").toString());
    JsonNode after = stats();
    assertEquals(before.path("hits").asLong() + 1, after.path("hits").asLong(), "the repeat is a cache hit");
    assertEquals(before.path("misses").asLong() + 1, after.path("misses").asLong());
  }

  private static JsonNode stats() throws Exception {
    return http.get("/_plugins/_modernbert/stats").body().path("nodes").elements().next().path("query_cache");
  }

  @Test
  void worksInExplainAndValidate() throws Exception {
    String question = "日本で一番高い山";
    String id = bruteForce(queryVector(question, "検索クエリ: ")).get(0).getKey();
    Http.Response explain = http.post("/docs/_explain/" + id, "{\"query\":" + knn(question, "") + "}");
    assertEquals(200, explain.status(), explain.body().toString());
    assertTrue(explain.body().path("matched").asBoolean(), explain.body().toString());
    Http.Response valid = http.post("/docs/_validate/query?explain=true", "{\"query\":" + knn(question, "") + "}");
    assertEquals(200, valid.status(), valid.body().toString());
    assertTrue(valid.body().path("valid").asBoolean(), valid.body().toString());
  }

  @Test
  void refusesFieldsThatCannotServeTheQueryAndIndexesThatCannotHoldTheVectors() throws Exception {
    Http.Response text = http.post("/docs/_search", "{\"query\":{\"modernbert_knn\":{\"field\":\"body\","
        + "\"query_text\":\"質問\",\"model\":\"" + MODEL + "\"}}}");
    assertEquals(400, text.status(), text.body().toString());
    assertTrue(text.body().toString().contains("not a knn_vector"), text.body().toString());
    Http.Response unknown = http.post("/docs/_search", "{\"query\":" + knn("質問", ",\"model\":\"no-such-model\"") + "}");
    assertEquals(400, unknown.status(), unknown.body().toString());
    assertTrue(unknown.body().toString().contains("no-such-model"), unknown.body().toString());
    Http.Response typo = http.post("/docs/_search", "{\"query\":" + knn("質問", ",\"kk\":3") + "}");
    assertEquals(400, typo.status());
    assertTrue(typo.body().toString().contains("[kk]"), typo.body().toString());
    String overLimit = "瑠璃色は紫みを帯びた濃い青で、宝石の瑠璃に由来する色の名前です。".repeat(600);
    Http.Response tooLong = http.post("/docs/_search", "{\"query\":" + knn(overLimit, "") + "}");
    assertEquals(400, tooLong.status(), "a query is refused, not cut, at the token limit: " + tooLong.body());
    assertTrue(tooLong.body().toString().contains("over the model's limit of 8192 tokens"), tooLong.body().toString());

    // a faiss field would stop the node at its first flush: documents bound for it are refused before indexing
    String faiss = "{\"settings\":{\"index.knn\":true,\"index.default_pipeline\":\"mb\",\"number_of_replicas\":0},"
        + "\"mappings\":{\"properties\":{\"body\":{\"type\":\"text\"},\"body_chunks\":{\"type\":\"nested\","
        + "\"properties\":{\"embedding\":{\"type\":\"knn_vector\",\"dimension\":64}}}}}}";
    http.delete("/faiss-docs");
    assertEquals(200, http.put("/faiss-docs", faiss).status());
    Http.Response doc = http.post("/faiss-docs/_doc/1?refresh=true", "{\"body\":\"文書です。\"}");
    assertEquals(400, doc.status(), doc.body().toString());
    assertTrue(doc.body().toString().contains("\\\"engine\\\": \\\"lucene\\\"")
        || doc.body().toString().contains("engine [default (faiss)]"), doc.body().toString());
    Http.Response q = http.post("/faiss-docs/_search", "{\"query\":" + knn("質問", "") + "}");
    assertEquals(400, q.status(), q.body().toString());
    assertTrue(q.body().toString().contains("engine"), q.body().toString());
    assertEquals(0, http.get("/faiss-docs/_count").body().path("count").asInt());
    Http.Response download = http.post("/_plugins/_modernbert/models/x/_download", "{\"id\":\"org/x\"}");
    assertEquals(400, download.status(), "no network access unless enabled: " + download.body());
    assertTrue(download.body().toString().contains("plugins.modernbert.download.enabled"), download.body().toString());
    assertEquals("green", http.get("/_cluster/health").body().path("status").asText());
    EndToEnd.diskWatermarksAreOff(http);
  }
}
