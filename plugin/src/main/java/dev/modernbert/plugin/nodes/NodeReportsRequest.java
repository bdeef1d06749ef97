package dev.modernbert.plugin.nodes;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

/** A report from the given nodes (all when none are named). */
public final class NodeReportsRequest extends BaseNodesRequest<NodeReportsRequest> {
  public NodeReportsRequest(String... nodeIds) {
    super(nodeIds);
  }

  public NodeReportsRequest(StreamInput in) throws IOException {
    super(in);
  }
}
