package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modernbert.inference.download.LocalHub;
import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On either engine: downloads are turned on with {@code PUT _cluster/settings}, no restart; the node then fetches a
 * model from a hub (a local server in the hub's layout) into its data path through the policy's network grant, and
 * embeds with it exactly as the original. The queue's budget and the query cache change the same way.
 */
abstract class DownloadCheck {
  /** The engine under test and the HTTP port of its node. */
  abstract SearchEngine engine();

  abstract int port();

  @Test
  void aNodeDownloadsAModelAndEmbedsWithIt() throws Exception {
    int port = port();
    Path work = EndToEnd.work("download-it-" + engine().id());
    Path hubRoot = work.resolve("hub");
    FileTrees.delete(hubRoot);
    Path published = hubRoot.resolve("org").resolve("tiny");
    RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(ModelShape.TINY, 11, DType.BF16, false), published);
    LocalCluster cluster = EndToEnd.cluster(work, engine());
    try (LocalHub hub = new LocalHub(hubRoot)) {
      cluster.start(1, port, null, "1g", Map.of());
      Http http = new Http(port);
      Http.Response off = http.post("/_plugins/_modernbert/models/tiny/_download", "{\"id\":\"org/tiny\"}");
      assertEquals(400, off.status(), "off by default: " + off.body());
      http.put("/_cluster/settings", "{\"persistent\":{\"plugins.modernbert.download.enabled\":true,"
          + "\"plugins.modernbert.download.endpoint\":\"" + hub.endpoint() + "\","
          + "\"plugins.modernbert.queue_max_tokens\":12345,\"plugins.modernbert.query_cache_size\":0}}")
          .ok("change the plugin's dynamic settings");
      Http.Response r = http.post("/_plugins/_modernbert/models/tiny/_download", "{\"id\":\"org/tiny\"}");
      assertEquals(200, r.status(), r.body().toString());
      JsonNode model = r.body().path("nodes").elements().next().path("models").get(0);
      assertEquals("tiny", model.path("name").asText(), r.body().toString());
      assertEquals(64, model.path("dimension").asInt());

      Http.Response embed = http.post("/_plugins/_modernbert/_embed", "{\"model\":\"tiny\",\"texts\":[\"今日は晴れです\"]}");
      assertEquals(200, embed.status(), embed.body().toString());
      float[] node = VectorJson.floats(embed.body().path("embeddings").get(0).path("embedding"));
      try (LoadedModel m = LoadedModel.load(published, EngineSettings.defaults().withCacheDir(work.resolve("cache")))) {
        float[] original = m.embedder(64).embed(List.of("今日は晴れです"), "", true).get(0).vector();
        assertTrue(Pooling.cosine(original, node) >= 0.99999, "the downloaded model is the published one");
      }

      Http.Response missing = http.post("/_plugins/_modernbert/models/other/_download", "{\"id\":\"org/missing\"}");
      assertEquals(404, missing.status(), missing.body().toString());
      assertTrue(missing.body().toString().contains("config.json not found"), missing.body().toString());

      IndexSetup.createIndex(http, "docs", IndexSetup.indexBody(http, "tiny", null, 1, 0));
      String query = "{\"query\":{\"modernbert_knn\":{\"field\":\"body_vector\",\"query_text\":\"晴れ\","
          + "\"model\":\"tiny\"}}}";
      http.post("/docs/_search", query).ok("first query");
      http.post("/docs/_search", query).ok("the same query again");
      JsonNode stats = http.get("/_plugins/_modernbert/stats").body().path("nodes").elements().next();
      assertEquals(12345, stats.path("queue").path("max_tokens").asLong(), stats.toString());
      assertEquals(2, stats.path("query_cache").path("misses").asInt(), stats.toString());
      assertEquals(0, stats.path("query_cache").path("hits").asInt(), "a cache of size 0 keeps nothing: " + stats);
    } finally {
      cluster.stop();
    }
  }
}
