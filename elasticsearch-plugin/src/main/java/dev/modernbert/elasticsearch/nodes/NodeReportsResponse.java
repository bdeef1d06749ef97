package dev.modernbert.elasticsearch.nodes;

import java.io.IOException;
import java.util.List;
import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.nodes.BaseNodesResponse;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;

/** Every node's report, and the nodes that failed to answer. */
public final class NodeReportsResponse extends BaseNodesResponse<NodeReport> {
  public NodeReportsResponse(ClusterName cluster, List<NodeReport> nodes, List<FailedNodeException> failures) {
    super(cluster, nodes, failures);
  }

  @Override
  protected List<NodeReport> readNodesFrom(StreamInput in) throws IOException {
    return in.readCollectionAsList(NodeReport::new);
  }

  @Override
  protected void writeNodesTo(StreamOutput out, List<NodeReport> nodes) throws IOException {
    out.writeCollection(nodes);
  }
}
