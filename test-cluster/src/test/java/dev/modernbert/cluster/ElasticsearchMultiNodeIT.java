package dev.modernbert.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two real Elasticsearch nodes: ingest through both, query through both with the same results as the single
 * shard, stats from both through either; with one node stopped every document stays searchable through the other, ingest goes on, and the node
 * rejoins. With two master-eligible nodes only one votes, so the node stopped is the one that does not.
 */
class ElasticsearchMultiNodeIT extends MultiNodeCheck {
  private static final int DOCS = 60;

  @Override
  SearchEngine engine() {
    return SearchEngine.ELASTICSEARCH;
  }

  @Override
  int port() {
    return 9462;
  }

  @Override
  int nodes() {
    return 2;
  }

  @Test
  void queriesKeepBeingServedWhenANodeStops() throws Exception {
    ingest(node(0), 0, DOCS / 2);
    ingest(node(1), DOCS / 2, DOCS);
    sameResultsThrough(List.of(0, 1), DOCS);
    JsonNode stats = node(1).get("/_plugins/_modernbert/stats").body();
    assertEquals(2, stats.path("_nodes").path("successful").asInt(), stats.toString());
    List<String> names = new ArrayList<>();
    stats.path("nodes").forEach(n -> {
      names.add(n.path("name").asText());
      assertEquals(DOCS, n.path("documents").asInt(), "each node embedded what it was sent, twice: " + n);
    });
    assertEquals(List.of("node-1", "node-2"), names.stream().sorted().toList());

    cluster.awaitHealth(0, "green", 2, Duration.ofMinutes(2));
    String master = node(0).get("/_cat/master?format=json").body().get(0).path("node").asText();
    int down = master.equals("node-1") ? 1 : 0;
    int up = 1 - down;
    cluster.stopNode(down);
    cluster.awaitHealth(up, "yellow", 1, Duration.ofMinutes(2));
    sameResultsThrough(List.of(up), DOCS);
    ingest(node(up), DOCS, DOCS + 20);
    sameResultsThrough(List.of(up), DOCS + 20);

    cluster.startNode(down, 2);
    sameResultsThrough(List.of(0, 1), DOCS + 20);
  }
}
