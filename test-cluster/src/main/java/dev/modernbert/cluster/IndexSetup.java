package dev.modernbert.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.model.JsonFiles;
import java.io.IOException;

/**
 * The pipeline and index a user would create, as the demo, the benchmarks and the end-to-end tests create them:
 * a {@code modernbert_embedding} processor from {@code body} to {@code body_chunks}, and the index body the
 * plugin recommends for the model ({@code GET …/models/{name}/_mapping}).
 */
public final class IndexSetup {
  private IndexSetup() {}

  /** A processor config embedding {@code body} into {@code body_chunks} with {@code model}; callers may add to it. */
  public static ObjectNode processor(String model) {
    return JsonFiles.mapper().createObjectNode().put("model", model).put("field", "body")
        .put("target_field", "body_chunks");
  }

  /** Creates (or replaces) pipeline {@code id} holding {@code processor}. */
  public static void putPipeline(Http http, String id, ObjectNode processor) throws IOException {
    ObjectNode pipeline = JsonFiles.mapper().createObjectNode();
    pipeline.putArray("processors").addObject().set("modernbert_embedding", processor);
    http.put("/_ingest/pipeline/" + id, pipeline.toString()).ok("create pipeline " + id);
  }

  /** The recommended index body for {@code model}, with a default pipeline (or none) and this many shards. */
  public static ObjectNode indexBody(Http http, String model, String pipeline, int shards, int replicas)
      throws IOException {
    ObjectNode body = (ObjectNode) http.get("/_plugins/_modernbert/models/" + model + "/_mapping?field=body")
        .ok("get the mapping").body();
    ObjectNode settings = (body.has("settings") ? (ObjectNode) body.get("settings") : body.putObject("settings"))
        .put("number_of_shards", shards)
        .put("number_of_replicas", replicas);
    if (pipeline != null) {
      settings.put("index.default_pipeline", pipeline);
    }
    return body;
  }

  /**
   * Deletes {@code index} if it exists, creates it with {@code body} and waits until its primaries are active, so
   * that a shard the node cannot place fails here with the node's reason rather than as 503s of later writes.
   */
  public static void createIndex(Http http, String index, ObjectNode body) throws IOException {
    http.delete("/" + index);
    http.put("/" + index, body.toString()).ok("create index " + index);
    Http.Response health = http.get("/_cluster/health/" + index + "?wait_for_status=yellow&timeout=60s");
    if (health.status() != 200 || health.body().path("timed_out").asBoolean()) {
      Http.Response why = http.post("/_cluster/allocation/explain",
          "{\"index\":\"" + index + "\",\"shard\":0,\"primary\":true}");
      throw new IOException("index " + index + " has no active primary after 60 s: " + why.body());
    }
  }
}
