package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.GET;

import dev.modernbert.elasticsearch.nodes.NodeReport;
import dev.modernbert.elasticsearch.nodes.NodeReportAction;
import dev.modernbert.elasticsearch.nodes.NodeReportsResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestActions;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /_plugins/_modernbert/models} and {@code /stats}, answered by every node of the cluster (or those in
 * {@code ?nodes=id,id}) in the shape of Elasticsearch's nodes APIs and of the OpenSearch edition's: a
 * {@code _nodes} header, the cluster's name, then each node's report under its id.
 */
public final class RestNodeReportAction extends BaseRestHandler {
  private final String name;
  private final String path;
  private final Function<NodeReport, Map<String, Object>> report;

  private RestNodeReportAction(String name, String path, Function<NodeReport, Map<String, Object>> report) {
    this.name = name;
    this.path = path;
    this.report = report;
  }

  /** The models directory and each model's state, dimension, limit and device. */
  public static RestNodeReportAction models() {
    return new RestNodeReportAction("modernbert_models", "/_plugins/_modernbert/models", NodeReport::models);
  }

  /** Documents, chunks, tokens, batches, latencies, the queue and the query cache. */
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
    NodeReportAction.Request nodes = new NodeReportAction.Request(
        Strings.splitStringByCommaToArray(request.param("nodes", "")));
    return channel -> client.execute(NodeReportAction.INSTANCE, nodes, new RestBuilderListener<>(channel) {
      @Override
      public RestResponse buildResponse(NodeReportsResponse response, XContentBuilder b) throws Exception {
        render(b, request, response, report);
        return new RestResponse(RestStatus.OK, b);
      }
    });
  }

  /** The {@code _nodes} header, the cluster's name, then {@code report} of each node under its id. */
  static void render(XContentBuilder b, RestRequest request, NodeReportsResponse response,
      Function<NodeReport, Map<String, Object>> report) throws IOException {
    b.startObject();
    RestActions.buildNodesHeader(b, request, response);
    b.field("cluster_name", response.getClusterName().value());
    b.startObject("nodes");
    for (NodeReport n : response.getNodes()) {
      b.startObject(n.getNode().getId()).field("name", n.getNode().getName());
      for (Map.Entry<String, Object> e : report.apply(n).entrySet()) {
        b.field(e.getKey(), e.getValue());
      }
      b.endObject();
    }
    b.endObject().endObject();
  }
}
