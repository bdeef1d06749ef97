package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.POST;

import dev.modernbert.elasticsearch.nodes.ModelDownloadAction;
import dev.modernbert.elasticsearch.nodes.NodeReport;
import dev.modernbert.elasticsearch.nodes.NodeReportsResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

/**
 * {@code POST /_plugins/_modernbert/models/{name}/_download {"id": "cl-nagoya/ruri-v3-30m", "revision": "main"}}:
 * every node fetches the model from the hub into its data path (only with
 * {@code plugins.modernbert.download.enabled}) and reports its models; nodes that fail are listed with the reason,
 * and the first failure decides the status (400 refused, 404 not on the hub, else 500).
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
    if (!(body.get("id") instanceof String id) || id.isEmpty()) {
      throw new IllegalArgumentException("[id] is required and must be a string");
    }
    ModelDownloadAction.Request download = new ModelDownloadAction.Request(new ModelDownloadAction.Source(
        request.param("name"), id, String.valueOf(body.getOrDefault("revision", "main"))));
    return channel -> client.execute(ModelDownloadAction.INSTANCE, download, new RestBuilderListener<>(channel) {
      @Override
      public RestResponse buildResponse(NodeReportsResponse response, XContentBuilder b) throws Exception {
        RestNodeReportAction.render(b, request, response, NodeReport::models);
        return new RestResponse(response.hasFailures()
            ? ExceptionsHelper.status(response.failures().get(0).getRootCause()) : RestStatus.OK, b);
      }
    });
  }
}
