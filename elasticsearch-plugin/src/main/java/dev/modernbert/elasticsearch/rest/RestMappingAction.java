package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.GET;

import dev.modernbert.elasticsearch.analysis.JapaneseAnalysis;
import dev.modernbert.inference.documents.RecommendedMapping;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /_plugins/_modernbert/models/{name}/_mapping?field=body&index_options=hnsw}: the index body for the
 * {@code modernbert_embedding} processor, sent to {@code PUT /<index>} as it is. The text field and each passage's
 * text are analyzed as Japanese (kuromoji), passages are {@code nested} objects whose {@code embedding} is a
 * cosine {@code dense_vector} of the model's dimension, and the model and its document prefix are the mapping's
 * {@code _meta}. {@code index_options} defaults to {@code hnsw} (full floats): Elasticsearch's own default
 * quantizes ({@code int8_hnsw} or {@code bbq_hnsw} by dimension); BENCHMARKS.md compares them.
 */
public final class RestMappingAction extends BaseRestHandler {
  private static final Set<String> INDEX_OPTIONS = Set.of("hnsw", "int8_hnsw", "int4_hnsw", "bbq_hnsw", "flat",
      "int8_flat", "bbq_flat");

  private final Supplier<InferenceServices> services;

  public RestMappingAction(Supplier<InferenceServices> services) {
    this.services = services;
  }

  @Override
  public String getName() {
    return "modernbert_mapping";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, "/_plugins/_modernbert/models/{name}/_mapping"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    String model = request.param("name");
    String field = request.param("field", "body");
    String indexOptions = request.param("index_options", "hnsw");
    if (field.isEmpty() || field.contains(".")) {
      throw new IllegalArgumentException("[field] must be a top-level field name, got [" + field + "]");
    }
    if (!INDEX_OPTIONS.contains(indexOptions)) {
      throw new IllegalArgumentException("[index_options] must be one of " + INDEX_OPTIONS.stream().sorted().toList()
          + ", got [" + indexOptions + "]");
    }
    ModelFolder folder = services.get().registry().describe(model);
    return channel -> {
      XContentBuilder b = channel.newBuilder();
      mapping(b, model, field, folder, indexOptions);
      channel.sendResponse(new RestResponse(RestStatus.OK, b));
    };
  }

  private static void mapping(XContentBuilder b, String model, String field, ModelFolder folder, String indexOptions)
      throws IOException {
    Map<String, Object> vector = RecommendedMapping.object("type", "dense_vector", "dims", folder.hiddenSize(),
        "index", true, "similarity", "cosine", "index_options", RecommendedMapping.object("type", indexOptions));
    b.startObject().field("mappings", RecommendedMapping.mappings(model, folder.profile().documentPrefix(), field,
        JapaneseAnalysis.ANALYZER, vector)).endObject();
  }
}
