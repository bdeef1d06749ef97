package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.POST;

import dev.modernbert.plugin.action.EmbedAction;
import dev.modernbert.plugin.action.EmbedRequest;
import java.io.IOException;
import java.util.List;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST /_plugins/_modernbert/_embed {"model", "texts": [...], "prefix"?, "normalize"?}} → vectors, for
 * RAG clients and debugging, through {@link EmbedAction}. Texts over the model's limit are truncated (keeping
 * {@code </s>}); the response says how many tokens each vector was computed from and whether its text was
 * truncated. A client that closes its connection cancels the request.
 */
public final class RestEmbedAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "modernbert_embed";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/_modernbert/_embed"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    EmbedRequest embed;
    try (XContentParser p = request.contentParser()) {
      embed = EmbedRequest.parse(p.map());
    }
    return channel -> new RestCancellableNodeClient(client, request.getHttpChannel())
        .execute(EmbedAction.INSTANCE, embed, new RestToXContentListener<>(channel));
  }
}
