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
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin on a real node (stock OpenSearch 3.6.0 + k-NN + this zip): a random 30m-shape model ingests
 * JSQuAD paragraphs and long synthetic documents through {@code _bulk}; offsets reproduce the text, vectors
 * equal the CLI engine's for the same chunk text and prefix, bad documents fail alone with their reason, stats
 * match, and a restart keeps the documents and reuses the compiled graph.
 */
class IngestEndToEndIT {
  private static final int PORT = 9400;
  private static final String MODEL = "random-30m";
  private static final String PREFIX = "検索文書: ";
  private static Path work;
  private static Path models;
  private static LocalCluster cluster;
  private static Http http;

  @BeforeAll
  static void startNode() throws Exception {
    work = EndToEnd.work("cluster-it");
    models = work.resolve("models");
    EndToEnd.randomModel(work, MODEL, ModelShape.M30, 5);
    cluster = EndToEnd.cluster(work);
    cluster.start(1, PORT, models, "2g");
    http = new Http(PORT);
    ObjectNode processor = IndexSetup.processor(MODEL).put("doc_vector_field", "body_vector");
    processor.putObject("chunking").put("max_tokens", 512);
    IndexSetup.putPipeline(http, "mb", processor);
    IndexSetup.createIndex(http, "docs", IndexSetup.indexBody(http, MODEL, "mb", 1, 0));
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  void ingestsRealAndLongDocumentsFailingBadOnesAlone() throws Exception {
    JsquadCorpus corpus = JsquadCorpus.read(JsquadCorpus.locate());
    Map<String, String> texts = EndToEnd.corpusDocuments(corpus, 200, 50_000, 80_000, 110_000, 150_000, 200_000);
    StringBuilder bulk = new StringBuilder();
    texts.forEach((id, t) -> bulk.append(bulkLine(id, t)));
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("number", 42);
    bad.put("object", Map.of("a", "b"));
    bad.put("mixed-array", List.of("文です。", 7));
    bad.put("too-many-chunks", "これは文です。".repeat(150_000));
    for (Map.Entry<String, Object> e : bad.entrySet()) {
      bulk.append(bulkLine(e.getKey(), e.getValue()));
    }
    bulk.append("{\"index\":{\"_id\":\"missing\"}}\n{\"title\":\"no body\"}\n");
    Map<String, Object> defined = new LinkedHashMap<>();
    defined.put("empty", "");
    defined.put("spaces", "   ");
    defined.put("array", List.of("一つ目の文。", "二つ目の文。"));
    defined.put("lone-surrogate", "前半\uD800後半の文。");
    defined.put("controls", "制御\u0000文字\u0007と\ttab。");
    for (Map.Entry<String, Object> e : defined.entrySet()) {
      bulk.append(bulkLine(e.getKey(), e.getValue()));
    }
    Http.Response r = http.bulk("/docs/_bulk?refresh=true", bulk.toString());
    assertEquals(200, r.status());
    Map<String, JsonNode> items = new LinkedHashMap<>();
    r.body().path("items").forEach(i -> items.put(i.path("index").path("_id").asText(), i.path("index")));
    for (String id : texts.keySet()) {
      assertEquals(201, items.get(id).path("status").asInt(), id + ": " + items.get(id));
    }
    assertTrue(reason(items, "number").contains("field [body] is of type Integer"), reason(items, "number"));
    assertTrue(reason(items, "object").contains("field [body]"), reason(items, "object"));
    assertTrue(reason(items, "mixed-array").contains("element 1"), reason(items, "mixed-array"));
    assertTrue(reason(items, "too-many-chunks").contains("max_chunks (1000)"), reason(items, "too-many-chunks"));
    assertTrue(reason(items, "missing").contains("field [body] is missing"), reason(items, "missing"));
    for (String id : defined.keySet()) {
      assertEquals(201, items.get(id).path("status").asInt(), id + ": " + items.get(id));
    }
    assertEquals(0, doc("empty").path("body_chunks").size(), "an empty string has no chunks");
    assertEquals(2, doc("array").path("body_chunks").size(), "arrays are embedded element-wise");

    int chunks = checkOffsetsAndVectors(texts);
    JsonNode stats = http.get("/_plugins/_modernbert/stats").body().path("nodes").elements().next();
    assertEquals(texts.size() + defined.size(), stats.path("documents").asInt(), stats.toString());
    assertEquals(bad.size() + 1, stats.path("failures").asInt(), "the bad documents and the missing field");
    assertTrue(stats.path("chunks").asInt() >= chunks, stats.toString());
    assertEquals("green", http.get("/_cluster/health").body().path("status").asText());

    restartKeepsDocumentsAndCompiledGraph(texts.size() + defined.size());
  }

  private static JsonNode doc(String id) throws Exception {
    return http.get("/docs/_doc/" + id).body().path("_source");
  }

  /** Every chunk's offsets reproduce the source; sampled vectors equal the CLI engine's (cosine ≥ 0.9999). */
  private static int checkOffsetsAndVectors(Map<String, String> texts) throws Exception {
    List<String> sampleTexts = new ArrayList<>();
    List<float[]> sampleVectors = new ArrayList<>();
    int total = 0;
    for (Map.Entry<String, String> e : texts.entrySet()) {
      JsonNode chunks = doc(e.getKey()).path("body_chunks");
      assertTrue(chunks.size() > 0, e.getKey());
      int expectedStart = 0;
      for (JsonNode c : chunks) {
        int start = c.path("start").asInt();
        int end = c.path("end").asInt();
        assertEquals(expectedStart, start, e.getKey() + ": chunks tile the text");
        assertEquals(e.getValue().substring(start, end), c.path("text").asText(), e.getKey());
        assertTrue(c.path("tokens").asInt() <= 512);
        assertEquals(256, c.path("embedding").size());
        expectedStart = end;
        if (total++ % 23 == 0) {
          sampleTexts.add(c.path("text").asText());
          sampleVectors.add(VectorJson.floats(c.path("embedding")));
        }
      }
      assertEquals(e.getValue().length(), expectedStart, e.getKey() + ": nothing dropped");
    }
    for (String id : texts.keySet().stream().filter(k -> k.startsWith("long")).toList()) {
      assertTrue(doc(id).path("body_chunks").size() > 20, id + ": a long document is cut into many windows");
    }
    try (LoadedModel m = LoadedModel.load(models.resolve(MODEL),
        EngineSettings.defaults().withCacheDir(work.resolve("cli-cache")))) {
      List<TextEmbedder.Embedding> cli = m.embedder(512).embed(sampleTexts, PREFIX, true);
      for (int i = 0; i < cli.size(); i++) {
        double cos = Pooling.cosine(cli.get(i).vector(), sampleVectors.get(i));
        assertTrue(cos >= 0.9999, "chunk " + i + " cosine " + cos);
      }
    }
    return total;
  }

  private static void restartKeepsDocumentsAndCompiledGraph(int documents) throws Exception {
    Path compiled = work.resolve("cluster/node-1/data/modernbert/compiled");
    List<Path> before = entries(compiled);
    assertEquals(1, before.size(), "one compiled graph: " + before);
    long compiledAt = Files.getLastModifiedTime(before.get(0).resolve("model.onnx")).toMillis();
    cluster.restartNode(0, 1);
    assertEquals(documents, http.get("/docs/_count").body().path("count").asInt(), "documents survive a restart");
    Http.Response again = http.post("/_plugins/_modernbert/_embed",
        "{\"model\":\"" + MODEL + "\",\"texts\":[\"再起動の後\"]}");
    assertEquals(200, again.status(), again.body().toString());
    List<Path> after = entries(compiled);
    assertEquals(before, after, "the compile cache is reused");
    assertEquals(compiledAt, Files.getLastModifiedTime(after.get(0).resolve("model.onnx")).toMillis());
    http.get("/_plugins/_modernbert/models").body().path("nodes").forEach(n -> n.path("models").forEach(
        m -> assertEquals("loaded", m.path("state").asText(), "the model reloaded: " + m)));
    cluster.awaitHealth(0, "green", 1, Duration.ofSeconds(30));
  }

  private static List<Path> entries(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("compiling-")).sorted().toList();
    }
  }
}
