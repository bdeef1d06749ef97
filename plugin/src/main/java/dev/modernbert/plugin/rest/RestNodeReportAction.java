package dev.modernbert.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import dev.modernbert.plugin.nodes.NodeReport;
import dev.modernbert.plugin.nodes.NodeReportAction;
import dev.modernbert.plugin.nodes.NodeReportsRequest;
import dev.modernbert.plugin.nodes.NodeReportsResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opensearch.core.common.Strings;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.RestResponse;
import org.opensearch.rest.action.RestBuilderListener;
import org.opensearch.transport.client.node.NodeClient;

/**
 * The per-node endpoints, answered by every node of the cluster (or those in {@code ?nodes=id,id}):
 * {@code GET /_plugins/_modernbert/models} (models found on each node: dimension, max tokens, device, load state
 * and error) and {@code GET /_plugins/_modernbert/stats} (documents, chunks, tokens, batches, padding ratio,
 * latencies, queue depth in tokens, rejections, failures, query cache hits).
 */
public final class RestNodeReportAction extends BaseRestHandler {
  private final String name;
  private final String path;
  private final Function<NodeReport, Map<String, Object>> part;

  private RestNodeReportAction(String name, String path, Function<NodeReport, Map<String, Object>> part) {
    this.name = name;
    this.path = path;
    this.part = part;
  }

  /** {@code GET /_plugins/_modernbert/models}. */
  public static RestNodeReportAction models() {
    return new RestNodeReportAction("modernbert_models", "/_plugins/_modernbert/models", NodeReport::models);
  }

  /** {@code GET /_plugins/_modernbert/stats}. */
  public static RestNodeReportAction stats() {
    return new RestNodeReportAction("modernbert_stats", "/_plugins/_modernbert/stats", NodeReport::stats);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, path));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    NodeReportsRequest nodes = new NodeReportsRequest(Strings.splitStringByCommaToArray(request.param("nodes", "")));
    return channel -> client.execute(NodeReportAction.INSTANCE, nodes, new RestBuilderListener<>(channel) {
      @Override
      public RestResponse buildResponse(NodeReportsResponse response, XContentBuilder b) throws Exception {
        response.toXContent(b, request, part);
        return new BytesRestResponse(RestStatus.OK, b);
      }
    });
  }
}
