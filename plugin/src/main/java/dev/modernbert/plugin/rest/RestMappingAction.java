package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import dev.modernbert.plugin.action.MappingAction;
import dev.modernbert.plugin.action.MappingRequest;
import java.util.List;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET /_plugins/_modernbert/models/{name}/_mapping?field=body}: the index body to send to
 * {@code PUT /<index>} for the {@code modernbert_embedding} processor (see {@code MappingResponse}), through
 * {@link MappingAction}.
 */
public final class RestMappingAction extends BaseRestHandler {
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
    MappingRequest mapping = new MappingRequest(request.param("name"), request.param("field", "body"));
    return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
        .execute(MappingAction.INSTANCE, mapping, new RestToXContentListener<>(channel));
  }
}
