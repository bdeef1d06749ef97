package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.POST;

import dev.modernbert.plugin.action.EmbedRequest;
import dev.modernbert.plugin.nodes.ModelDownloadAction;
import dev.modernbert.plugin.nodes.ModelDownloadRequest;
import dev.modernbert.plugin.nodes.NodeReport;
import dev.modernbert.plugin.nodes.NodeReportsResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.opensearch.ExceptionsHelper;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.RestResponse;
import org.opensearch.rest.action.RestBuilderListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST /_plugins/_modernbert/models/{name}/_download {"id": "cl-nagoya/ruri-v3-30m", "revision": "main"}}:
 * every node fetches the model from the hub into its data path (only with
 * {@code plugins.modernbert.download.enabled}) and reports its models; nodes that fail are listed with the reason.
 */
public final class RestModelDownloadAction extends BaseRestHandler {
  @Override
  public String getName() {
    return "modernbert_model_download";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/_modernbert/models/{name}/_download"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
    Map<String, Object> body;
    try (XContentParser p = request.contentParser()) {
      body = p.map();
    }
    String id = EmbedRequest.requireString(body, "id");
    Object revision = body.getOrDefault("revision", "main");
    ModelDownloadRequest download = new ModelDownloadRequest(
        new ModelDownloadRequest.Source(request.param("name"), id, String.valueOf(revision)));
    return channel -> client.execute(ModelDownloadAction.INSTANCE, download, new RestBuilderListener<>(channel) {
      @Override
      public RestResponse buildResponse(NodeReportsResponse response, XContentBuilder b) throws Exception {
        response.toXContent(b, request, NodeReport::models);
        // a node's failure decides the status: 400 for a refused request (downloads off, bad name), 404 for a
        // model or file the hub does not have, else 500
        return new BytesRestResponse(response.hasFailures()
            ? ExceptionsHelper.status(response.failures().get(0).getRootCause()) : RestStatus.OK, b);
      }
    });
  }
}
