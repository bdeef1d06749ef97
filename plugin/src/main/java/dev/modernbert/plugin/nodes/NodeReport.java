package dev.modernbert.plugin.nodes;

import java.io.IOException;
import java.util.Map;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** One node's report: its models and its statistics, each as the JSON object the REST API shows. */
public final class NodeReport extends BaseNodeResponse {
  private final Map<String, Object> models;
  private final Map<String, Object> stats;

  public NodeReport(DiscoveryNode node, Map<String, Object> models, Map<String, Object> stats) {
    super(node);
    this.models = models;
    this.stats = stats;
  }

  public NodeReport(StreamInput in) throws IOException {
    super(in);
    models = in.readMap();
    stats = in.readMap();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeMap(models);
    out.writeMap(stats);
  }

  public Map<String, Object> models() {
    return models;
  }

  public Map<String, Object> stats() {
    return stats;
  }
}
