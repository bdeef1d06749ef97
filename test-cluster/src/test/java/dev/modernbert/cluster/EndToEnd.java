package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.corpus.JsquadCorpus;
import dev.modernbert.inference.model.DType;
import dev.modernbert.inference.model.JsonFiles;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the end-to-end tests share: a work folder under {@code target/}, random models, a cluster of their own. */
final class EndToEnd {
  private EndToEnd() {}

  static Path work(String name) {
    return Path.of("target", name).toAbsolutePath();
  }

  /** {@code models/name} under {@code work}: a random checkpoint, written once and kept between runs. */
  static Path randomModel(Path work, String name, ModelShape shape, int seed) throws IOException {
    Path dir = work.resolve("models").resolve(name);
    if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
      RandomCheckpointWriter.write(new RandomCheckpointWriter.Options(shape, seed, DType.F32, false), dir);
    }
    return dir;
  }

  /** The OpenSearch cluster of {@code work/cluster}, stopped if a previous run left it running. */
  static LocalCluster cluster(Path work) throws IOException, InterruptedException {
    return cluster(work, SearchEngine.OPENSEARCH);
  }

  /** The {@code engine} cluster of {@code work/cluster}, stopped if a previous run left it running. */
  static LocalCluster cluster(Path work, SearchEngine engine) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster(work.resolve("cluster"),
        LocalCluster.Artifacts.in(Path.of(System.getProperty("modernbert.artifacts")), engine));
    cluster.stop();
    return cluster;
  }

  /**
   * Documents for ingest tests: the first {@code paragraphs} JSQuAD paragraphs ({@code p<i>}: title, newline, text),
   * then long documents ({@code long<l>}) of consecutive paragraphs cut at these many characters, their paragraphs
   * separated by blank lines ({@code \n\n}, or {@code \r\n} in every other document).
   */
  static Map<String, String> corpusDocuments(JsquadCorpus corpus, int paragraphs, int... longSizes) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (int i = 0; i < paragraphs; i++) {
      texts.put("p" + i, corpus.paragraphs().get(i).title() + "\n" + corpus.paragraphs().get(i).text());
    }
    for (int l = 0; l < longSizes.length; l++) {
      StringBuilder b = new StringBuilder();
      for (int i = 200 + l * 400; b.length() < longSizes[l]; i++) {
        b.append(corpus.paragraphs().get(i % corpus.paragraphs().size()).text()).append(l % 2 == 0 ? "\n\n" : "\r\n");
      }
      texts.put("long" + l, b.substring(0, longSizes[l]));
    }
    return texts;
  }

  /** One {@code _bulk} index action for document {@code id} whose {@code body} is {@code body}. */
  static String bulkLine(String id, Object body) {
    ObjectNode doc = JsonFiles.mapper().createObjectNode();
    doc.set("body", JsonFiles.mapper().valueToTree(body));
    return "{\"index\":{\"_id\":\"" + id + "\"}}\n" + doc + "\n";
  }

  /** The reason a {@code _bulk} item failed with (its error and cause), asserting that it failed. */
  static String reason(Map<String, JsonNode> items, String id) {
    JsonNode item = items.get(id);
    assertTrue(item.path("status").asInt() >= 400, id + " should fail: " + item);
    return item.path("error").path("reason").asText() + " " + item.path("error").path("caused_by").path("reason").asText();
  }

  /** A local node places shards whatever the disk's fill: its disk watermarks are off (see {@code LocalCluster}). */
  static void diskWatermarksAreOff(Http http) throws IOException {
    JsonNode nodes = http.get("/_nodes/_local/settings?flat_settings=true").ok("node settings").body().path("nodes");
    assertEquals(1, nodes.size(), nodes.toString());
    JsonNode settings = nodes.elements().next().path("settings");
    assertEquals("false", settings.path("cluster.routing.allocation.disk.threshold_enabled").asText(),
        settings.toString());
  }

  /** A mapping naming an analyzer the node does not have (a typo of the plugin's) is refused with 400, naming it. */
  static void unknownAnalyzerIsRefused(Http http) throws IOException {
    Http.Response r = http.put("/unknown-analyzer", "{\"mappings\":{\"properties\":{\"body\":{\"type\":\"text\","
        + "\"analyzer\":\"modernbert_jp\"}}}}");
    assertEquals(400, r.status(), r.body().toString());
    assertTrue(r.body().toString().contains("modernbert_jp"), r.body().toString());
  }
}
