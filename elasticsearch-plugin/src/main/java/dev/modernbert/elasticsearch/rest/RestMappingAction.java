package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.GET;

import dev.modernbert.elasticsearch.analysis.JapaneseAnalysis;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.List;
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
    b.startObject();
    b.startObject("mappings");
    b.startObject("_meta").field("model", model).field("prefix", folder.profile().documentPrefix()).endObject();
    b.startObject("properties");
    b.startObject(field).field("type", "text").field("analyzer", JapaneseAnalysis.ANALYZER).endObject();
    b.startObject(field + "_chunks").field("type", "nested").startObject("properties");
    b.startObject("text").field("type", "text").field("analyzer", JapaneseAnalysis.ANALYZER).endObject();
    for (String n : new String[] {"start", "end", "tokens", "element"}) {
      b.startObject(n).field("type", "integer").endObject();
    }
    vector(b.startObject("embedding"), folder.hiddenSize(), indexOptions).endObject();
    b.endObject().endObject();
    vector(b.startObject(field + "_vector"), folder.hiddenSize(), indexOptions).endObject();
    b.endObject().endObject().endObject();
  }

  private static XContentBuilder vector(XContentBuilder b, int dimension, String indexOptions) throws IOException {
    b.field("type", "dense_vector").field("dims", dimension).field("index", true).field("similarity", "cosine");
    return b.startObject("index_options").field("type", indexOptions).endObject();
  }
}
