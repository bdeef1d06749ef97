package dev.modernbert.plugin.nodes;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.action.RestActions;

/** Every node's report, rendered like OpenSearch's own nodes APIs: a {@code _nodes} header, then per node id. */
public final class NodeReportsResponse extends BaseNodesResponse<NodeReport> {
  public NodeReportsResponse(ClusterName cluster, List<NodeReport> nodes, List<FailedNodeException> failures) {
    super(cluster, nodes, failures);
  }

  public NodeReportsResponse(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  protected List<NodeReport> readNodesFrom(StreamInput in) throws IOException {
    return in.readList(NodeReport::new);
  }

  @Override
  protected void writeNodesTo(StreamOutput out, List<NodeReport> nodes) throws IOException {
    out.writeList(nodes);
  }

  /** The response body with {@code part} of each node's report ({@link NodeReport#models} or {@link NodeReport#stats}). */
  public void toXContent(XContentBuilder b, ToXContent.Params params, Function<NodeReport, Map<String, Object>> part)
      throws IOException {
    b.startObject();
    RestActions.buildNodesHeader(b, params, this);
    b.field("cluster_name", getClusterName().value());
    b.startObject("nodes");
    for (NodeReport n : getNodes()) {
      b.startObject(n.getNode().getId()).field("name", n.getNode().getName());
      for (Map.Entry<String, Object> e : part.apply(n).entrySet()) {
        b.field(e.getKey(), e.getValue());
      }
      b.endObject();
    }
    b.endObject();
    b.endObject();
  }
}
