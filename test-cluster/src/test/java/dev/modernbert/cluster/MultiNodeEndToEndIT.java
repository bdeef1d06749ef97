package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Three real OpenSearch nodes: ingest through every node, query through every node with the same results as the
 * single shard; with one node stopped every document stays searchable and ingest goes on; the node rejoins. The node
 * stopped is the elected cluster manager, so the cluster also has to elect another one.
 */
class MultiNodeEndToEndIT extends MultiNodeCheck {
  private static final int DOCS = 90;

  @Override
  SearchEngine engine() {
    return SearchEngine.OPENSEARCH;
  }

  @Override
  int port() {
    return 9420;
  }

  @Override
  int nodes() {
    return 3;
  }

  /** Stats and models come from every node, asked through any one: each embedded the third it was sent. */
  private void everyNodeReports() throws Exception {
    JsonNode stats = node(1).get("/_plugins/_modernbert/stats").body();
    assertEquals(3, stats.path("_nodes").path("successful").asInt(), stats.toString());
    List<String> names = new ArrayList<>();
    stats.path("nodes").forEach(n -> {
      names.add(n.path("name").asText());
      assertEquals(2 * DOCS / 3, n.path("documents").asInt(), "each node embedded what it was sent, twice: " + n);
    });
    assertEquals(List.of("node-1", "node-2", "node-3"), names.stream().sorted().toList());
    JsonNode models = node(2).get("/_plugins/_modernbert/models").body();
    models.path("nodes").forEach(n -> assertEquals("loaded", n.path("models").get(0).path("state").asText(), n.toString()));
  }

  @Test
  void ingestAndQueryThroughAnyNodeSurvivingANodeStop() throws Exception {
    for (int n = 0; n < 3; n++) {
      ingest(node(n), n * DOCS / 3, (n + 1) * DOCS / 3);
    }
    sameResultsThrough(List.of(0, 1, 2), DOCS);
    everyNodeReports();

    // Every copy started (green), so the stop below loses only copies that have a twin elsewhere.
    cluster.awaitHealth(0, "green", 3, Duration.ofMinutes(2));
    int down = clusterManager();
    List<Integer> up = List.of(0, 1, 2).stream().filter(n -> n != down).toList();
    cluster.stopNode(down);
    cluster.awaitHealth(up.get(0), "yellow", 2, Duration.ofMinutes(2));
    sameResultsThrough(up, DOCS);
    ingest(node(up.get(1)), DOCS, DOCS + 30);
    sameResultsThrough(up, DOCS + 30);

    cluster.startNode(down, 3);
    sameResultsThrough(List.of(0, 1, 2), DOCS + 30);
  }

  /** The 0-based index of the elected cluster manager: stopping it is the harder case (an election follows). */
  private int clusterManager() throws Exception {
    JsonNode manager = node(0).get("/_cat/cluster_manager?format=json").body();
    String name = manager.get(0).path("node").asText();
    assertTrue(name.matches("node-[1-3]"), manager.toString());
    return Integer.parseInt(name.substring("node-".length())) - 1;
  }
}
