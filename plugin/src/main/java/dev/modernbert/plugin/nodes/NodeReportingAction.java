package dev.modernbert.plugin.nodes;

import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import java.io.IOException;
import java.util.List;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportRequest;
import org.opensearch.transport.TransportService;

/** A nodes action whose every node answers with its {@link NodeReport}, collected into a {@link NodeReportsResponse}. */
abstract class NodeReportingAction<R extends BaseNodesRequest<R>, N extends TransportRequest>
    extends TransportNodesAction<R, NodeReportsResponse, N, NodeReport> {
  private final InferenceServices services;

  NodeReportingAction(String name, ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, Writeable.Reader<R> request,
      Writeable.Reader<N> nodeRequest, String executor, InferenceServices services) {
    super(name, threadPool, clusterService, transportService, actionFilters, request, nodeRequest, executor,
        NodeReport.class);
    this.services = services;
  }

  final InferenceServices services() {
    return services;
  }

  /** This node's models and statistics as they are now. */
  final NodeReport report() {
    return new NodeReport(clusterService.localNode(), NodeReports.models(services), NodeReports.stats(services));
  }

  @Override
  protected final NodeReportsResponse newResponse(R request, List<NodeReport> nodes,
      List<FailedNodeException> failures) {
    return new NodeReportsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected final NodeReport newNodeResponse(StreamInput in) throws IOException {
    return new NodeReport(in);
  }
}
