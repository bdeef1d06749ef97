package dev.modernbert.elasticsearch.nodes;

import java.io.IOException;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.support.nodes.BaseNodesRequest;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.transport.AbstractTransportRequest;

/** Asks every node (or those named) for its models and stats. */
public final class NodeReportAction {
  public static final ActionType<NodeReportsResponse> INSTANCE = new ActionType<>("cluster:monitor/modernbert/report");

  private NodeReportAction() {}

  /** The request on the node that fans out: which nodes to ask (all when none are named). */
  public static final class Request extends BaseNodesRequest {
    public Request(String... nodeIds) {
      super(nodeIds);
    }
  }

  /** What each node is sent: nothing but the ask. */
  public static final class NodeRequest extends AbstractTransportRequest {
    NodeRequest() {}

    NodeRequest(StreamInput in) throws IOException {
      super(in);
    }
  }
}
