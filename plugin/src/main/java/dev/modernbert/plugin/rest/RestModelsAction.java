package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.ModelRegistry;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/** {@code GET /_plugins/_modernbert/models}: the models this node has, with dimension, limit, device and state. */
public final class RestModelsAction extends BaseRestHandler {
  private final Supplier<InferenceServices> services;

  public RestModelsAction(Supplier<InferenceServices> services) {
    this.services = services;
  }

  @Override
  public String getName() {
    return "modernbert_models";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, "/_plugins/_modernbert/models"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    ModelRegistry registry = services.get().registry();
    String nodeId = client.getLocalNodeId();
    return channel -> Responses.ok(channel, b -> {
      b.startObject("nodes").startObject(nodeId);
      b.field("models_dir", registry.modelsDir().toString());
      b.startArray("models");
      for (ModelRegistry.ModelInfo m : registry.list()) {
        b.startObject();
        b.field("name", m.name());
        b.field("state", m.state().name().toLowerCase(Locale.ROOT));
        b.field("format", m.format());
        b.field("dimension", m.dimension());
        b.field("max_tokens", m.maxTokens());
        b.field("device", m.device());
        if (m.error() != null) {
          b.field("error", m.error());
        }
        b.endObject();
      }
      b.endArray();
      b.endObject().endObject();
    });
  }
}
