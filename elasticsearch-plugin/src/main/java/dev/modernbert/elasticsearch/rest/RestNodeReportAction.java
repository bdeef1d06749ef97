package dev.modernbert.elasticsearch.rest;

import static org.elasticsearch.rest.RestRequest.Method.GET;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * {@code GET /_plugins/_modernbert/models} and {@code /stats}: what the node that answers knows, in the OpenSearch
 * edition's per-node shape ({@code {"nodes": {<id>: {"name", ...}}}}) with this node as the only entry.
 */
public final class RestNodeReportAction extends BaseRestHandler {
  private final String name;
  private final String path;
  private final Function<InferenceServices, Map<String, Object>> report;
  private final Supplier<InferenceServices> services;
  private final Supplier<DiscoveryNode> localNode;

  private RestNodeReportAction(String name, String path, Function<InferenceServices, Map<String, Object>> report,
      Supplier<InferenceServices> services, Supplier<DiscoveryNode> localNode) {
    this.name = name;
    this.path = path;
    this.report = report;
    this.services = services;
    this.localNode = localNode;
  }

  /** The models directory and each model's state, dimension, limit and device. */
  public static RestNodeReportAction models(Supplier<InferenceServices> services, Supplier<DiscoveryNode> node) {
    return new RestNodeReportAction("modernbert_models", "/_plugins/_modernbert/models", NodeReports::models,
        services, node);
  }

  /** Documents, chunks, tokens, batches, latencies, the queue and the query cache. */
  public static RestNodeReportAction stats(Supplier<InferenceServices> services, Supplier<DiscoveryNode> node) {
    return new RestNodeReportAction("modernbert_stats", "/_plugins/_modernbert/stats", NodeReports::stats,
        services, node);
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
    return channel -> {
      DiscoveryNode node = localNode.get();
      XContentBuilder b = channel.newBuilder();
      b.startObject().startObject("nodes").startObject(node.getId()).field("name", node.getName());
      for (Map.Entry<String, Object> e : report.apply(services.get()).entrySet()) {
        b.field(e.getKey(), e.getValue());
      }
      b.endObject().endObject().endObject();
      channel.sendResponse(new RestResponse(RestStatus.OK, b));
    };
  }
}
