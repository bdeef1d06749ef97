package dev.modernbert.plugin.nodes;

import dev.modernbert.inference.registry.InferenceServices;
import java.io.IOException;
import java.util.List;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Fans {@link NodeReportAction} out to the nodes; each answers on its management pool from its own services. */
public final class TransportNodeReportAction
    extends TransportNodesAction<NodeReportsRequest, NodeReportsResponse, NodeReportRequest, NodeReport> {
  private final InferenceServices services;

  @Inject
  public TransportNodeReportAction(ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, InferenceServices services) {
    super(NodeReportAction.NAME, threadPool, clusterService, transportService, actionFilters, NodeReportsRequest::new,
        NodeReportRequest::new, ThreadPool.Names.MANAGEMENT, NodeReport.class);
    this.services = services;
  }

  @Override
  protected NodeReportsResponse newResponse(NodeReportsRequest request, List<NodeReport> nodes,
      List<FailedNodeException> failures) {
    return new NodeReportsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected NodeReportRequest newNodeRequest(NodeReportsRequest request) {
    return new NodeReportRequest();
  }

  @Override
  protected NodeReport newNodeResponse(StreamInput in) throws IOException {
    return new NodeReport(in);
  }

  @Override
  protected NodeReport nodeOperation(NodeReportRequest request) {
    return new NodeReport(clusterService.localNode(), NodeReports.models(services), NodeReports.stats(services));
  }
}
