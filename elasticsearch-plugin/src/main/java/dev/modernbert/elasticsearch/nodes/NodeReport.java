package dev.modernbert.elasticsearch.nodes;

import java.io.IOException;
import java.util.Map;
import org.elasticsearch.action.support.nodes.BaseNodeResponse;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;

/** What one node reports: its models and its stats, as the core's {@code NodeReports} makes them. */
public final class NodeReport extends BaseNodeResponse {
  private final Map<String, Object> models;
  private final Map<String, Object> stats;

  public NodeReport(DiscoveryNode node, Map<String, Object> models, Map<String, Object> stats) {
    super(node);
    this.models = models;
    this.stats = stats;
  }

  NodeReport(StreamInput in, DiscoveryNode node) throws IOException {
    super(in, node);
    models = in.readGenericMap();
    stats = in.readGenericMap();
  }

  NodeReport(StreamInput in) throws IOException {
    super(in);
    models = in.readGenericMap();
    stats = in.readGenericMap();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeGenericMap(models);
    out.writeGenericMap(stats);
  }

  public Map<String, Object> models() {
    return models;
  }

  public Map<String, Object> stats() {
    return stats;
  }
}
