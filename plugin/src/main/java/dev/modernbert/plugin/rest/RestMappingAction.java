package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET /_plugins/_modernbert/models/{name}/_mapping?field=body}: the index body (settings and mappings) to
 * create an index for the {@code modernbert_embedding} processor: the text field, nested chunks whose
 * {@code embedding} is a lucene-engine {@code knn_vector} of the model's dimension with cosine similarity, and
 * the document vector, and the model and document prefix as the mapping's {@code _meta}; the body is sent to
 * {@code PUT /<index>} as it is. The lucene engine is required: the faiss engine has no native library here.
 *
 * <p>k-NN's derived source is turned off: with it on (the 3.x default), k-NN 3.6.0.0 rebuilds the vectors of
 * nested chunks in {@code _source} from the wrong nested documents (measured: a document's chunks came back
 * with the vectors of other documents' chunks), so each chunk's own vector is stored as sent.
 */
public final class RestMappingAction extends BaseRestHandler {
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
    String name = request.param("name");
    String field = request.param("field", "body");
    ModelFolder folder = services.get().registry().describe(name);
    int dim = folder.hiddenSize();
    return channel -> Responses.ok(channel, b -> {
      b.startObject("settings").field("index.knn", true).field("index.knn.derived_source.enabled", false).endObject();
      b.startObject("mappings");
      b.startObject("_meta").field("model", name).field("prefix", folder.profile().documentPrefix()).endObject();
      b.startObject("properties");
      b.startObject(field).field("type", "text").endObject();
      b.startObject(field + "_chunks").field("type", "nested").startObject("properties");
      b.startObject("text").field("type", "text").endObject();
      for (String n : new String[] {"start", "end", "tokens", "element"}) {
        b.startObject(n).field("type", "integer").endObject();
      }
      vector(b.startObject("embedding"), dim).endObject();
      b.endObject().endObject();
      vector(b.startObject(field + "_vector"), dim).endObject();
      b.endObject().endObject();
    });
  }

  /** A lucene-engine HNSW {@code knn_vector} with cosine similarity. */
  static XContentBuilder vector(XContentBuilder b, int dim) throws IOException {
    b.field("type", "knn_vector").field("dimension", dim);
    b.startObject("method").field("name", "hnsw").field("engine", "lucene").field("space_type", "cosinesimil");
    b.startObject("parameters").field("m", 16).field("ef_construction", 128).endObject();
    return b.endObject();
  }
}
