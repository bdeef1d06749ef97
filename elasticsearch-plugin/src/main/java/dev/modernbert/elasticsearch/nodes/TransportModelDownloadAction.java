package dev.modernbert.elasticsearch.nodes;

import dev.modernbert.elasticsearch.settings.ModernBertSettings;
import dev.modernbert.elasticsearch.settings.NodePaths;
import dev.modernbert.inference.download.HubEndpoint;
import dev.modernbert.inference.download.NodeModelDownload;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.inference.registry.NodeReports;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;

/**
 * Each node downloads the model into {@code <data>/modernbert/models/<name>} on its generic pool, checks that the
 * folder opens, and reports its models. Refused unless {@code plugins.modernbert.download.enabled}; the only network
 * access the plugin makes.
 */
public final class TransportModelDownloadAction extends TransportNodesAction<ModelDownloadAction.Request,
    NodeReportsResponse, ModelDownloadAction.Source, NodeReport, Void> {
  private static final Logger LOG = LogManager.getLogger(TransportModelDownloadAction.class);

  private final InferenceServices services;
  private final Path downloads;

  @Inject
  public TransportModelDownloadAction(ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, InferenceServices services,
      Environment environment) {
    super(ModelDownloadAction.INSTANCE.name(), clusterService, transportService, actionFilters,
        ModelDownloadAction.Source::new, threadPool.generic());
    this.services = services;
    this.downloads = NodePaths.downloadedModelsDir(environment);
  }

  @Override
  protected NodeReportsResponse newResponse(ModelDownloadAction.Request request, List<NodeReport> nodes,
      List<FailedNodeException> failures) {
    return new NodeReportsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected ModelDownloadAction.Source newNodeRequest(ModelDownloadAction.Request request) {
    return request.source;
  }

  @Override
  protected NodeReport newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
    return new NodeReport(in, node);
  }

  @Override
  protected NodeReport nodeOperation(ModelDownloadAction.Source s, Task task) {
    ClusterSettings settings = clusterService.getClusterSettings();
    try {
      NodeModelDownload.download(settings.get(ModernBertSettings.DOWNLOAD_ENABLED),
          ModernBertSettings.DOWNLOAD_ENABLED.getKey(), services.registry(), downloads,
          HubEndpoint.resolve(settings.get(ModernBertSettings.DOWNLOAD_ENDPOINT), Map.of()), s.name, s.id,
          s.revision, LOG::info);
    } catch (FileNotFoundException e) {
      throw new ResourceNotFoundException("download of " + s.id + " failed: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("download of " + s.id + " failed: " + e.getMessage(), e);
    }
    return new NodeReport(clusterService.localNode(), NodeReports.models(services), NodeReports.stats(services));
  }
}
