package dev.modernbert.plugin.nodes;

import dev.modernbert.inference.registry.InferenceServices;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Fans {@link NodeReportAction} out to the nodes; each answers on its management pool from its own services. */
public final class TransportNodeReportAction extends NodeReportingAction<NodeReportsRequest, NodeReportRequest> {
  @Inject
  public TransportNodeReportAction(ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, InferenceServices services) {
    super(NodeReportAction.NAME, threadPool, clusterService, transportService, actionFilters, NodeReportsRequest::new,
        NodeReportRequest::new, ThreadPool.Names.MANAGEMENT, services);
  }

  @Override
  protected NodeReportRequest newNodeRequest(NodeReportsRequest request) {
    return new NodeReportRequest();
  }

  @Override
  protected NodeReport nodeOperation(NodeReportRequest request) {
    return report();
  }
}
