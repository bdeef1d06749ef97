package dev.modernbert.elasticsearch.nodes;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import java.io.IOException;
import java.util.List;
import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;

/** Each node answers with its models and stats, on its generic pool; the node asked gathers them. */
public final class TransportNodeReportAction extends TransportNodesAction<NodeReportAction.Request,
    NodeReportsResponse, NodeReportAction.NodeRequest, NodeReport, Void> {
  private final InferenceServices services;

  @Inject
  public TransportNodeReportAction(ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, InferenceServices services) {
    super(NodeReportAction.INSTANCE.name(), clusterService, transportService, actionFilters,
        NodeReportAction.NodeRequest::new, threadPool.generic());
    this.services = services;
  }

  @Override
  protected NodeReportsResponse newResponse(NodeReportAction.Request request, List<NodeReport> nodes,
      List<FailedNodeException> failures) {
    return new NodeReportsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected NodeReportAction.NodeRequest newNodeRequest(NodeReportAction.Request request) {
    return new NodeReportAction.NodeRequest();
  }

  @Override
  protected NodeReport newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
    return new NodeReport(in, node);
  }

  @Override
  protected NodeReport nodeOperation(NodeReportAction.NodeRequest request, Task task) {
    return new NodeReport(clusterService.localNode(), NodeReports.models(services), NodeReports.stats(services));
  }
}
