package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the multi-node tests of both engines share: a cluster of random-tiny nodes, an index of several shards with
 * 1 replica beside a 1-shard copy (1 replica too), ingest through any node, and the same top 10 through any node as
 * the single shard gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MultiNodeCheck {
  static final String MODEL = "random-tiny";
  static final List<String> QUESTIONS = List.of("東京の人口はどれくらいですか？", "川の長さ", "日本で一番高い山");
  LocalCluster cluster;
  JsquadCorpus corpus;

  abstract SearchEngine engine();

  abstract int port();

  abstract int nodes();

  @BeforeAll
  void startCluster() throws Exception {
    Path work = EndToEnd.work("multinode-it-" + engine().id());
    EndToEnd.randomModel(work, MODEL, ModelShape.TINY, 3);
    cluster = EndToEnd.cluster(work, engine());
    cluster.start(nodes(), port(), work.resolve("models"), "768m");
    corpus = JsquadCorpus.read(JsquadCorpus.locate());
    Http http = node(0);
    ObjectNode processor = IndexSetup.processor(MODEL);
    processor.putObject("chunking").put("max_tokens", 48);
    IndexSetup.putPipeline(http, "mb", processor);
    IndexSetup.createIndex(http, "sharded", IndexSetup.indexBody(http, MODEL, "mb", nodes(), 1));
    IndexSetup.createIndex(http, "single", IndexSetup.indexBody(http, MODEL, "mb", 1, 1));
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.stop();
    }
  }

  Http node(int i) {
    return new Http(port() + i);
  }

  /** Documents [from, to) into both indexes, each bulk through the given node. */
  void ingest(Http via, int from, int to) throws Exception {
    for (String index : List.of("sharded", "single")) {
      StringBuilder bulk = new StringBuilder();
      for (int i = from; i < to; i++) {
        ObjectNode doc = JsonFiles.mapper().createObjectNode().put("body", corpus.paragraphs().get(i).text());
        bulk.append("{\"index\":{\"_id\":\"d").append(i).append("\"}}\n").append(doc).append('\n');
      }
      Http.Response r = via.bulk("/" + index + "/_bulk?refresh=true", bulk.toString());
      assertEquals(200, r.status());
      assertFalse(r.body().path("errors").asBoolean(), r.body().toString());
    }
  }

  /** The top 10 of a question as "id score" lines. */
  List<String> ranking(Http via, String index, String question) throws Exception {
    Http.Response r = via.post("/" + index + "/_search", "{\"size\":10,\"_source\":false,\"query\":{\"modernbert_knn\":"
        + "{\"field\":\"body_chunks.embedding\",\"query_text\":\"" + question + "\",\"k\":10}}}");
    assertEquals(200, r.status(), r.body().toString());
    List<String> out = new ArrayList<>();
    for (JsonNode h : r.body().path("hits").path("hits")) {
      out.add(h.path("_id").asText() + String.format(" %.5f", h.path("_score").asDouble()));
    }
    return out;
  }

  void sameResultsThrough(List<Integer> nodes, int docs) throws Exception {
    for (int n : nodes) {
      assertEquals(docs, node(n).get("/sharded/_count").body().path("count").asInt(), "count via node " + n);
      for (String q : QUESTIONS) {
        assertEquals(ranking(node(n), "single", q), ranking(node(n), "sharded", q),
            q + " via node " + n);
      }
    }
  }
}
