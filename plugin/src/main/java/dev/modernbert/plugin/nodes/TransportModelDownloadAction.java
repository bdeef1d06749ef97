package dev.modernbert.plugin.nodes;

import dev.modernbert.inference.download.HubEndpoint;
import dev.modernbert.inference.download.NodeModelDownload;
import dev.modernbert.inference.registry.InferenceServices;
import dev.modernbert.plugin.settings.ModernBertSettings;
import dev.modernbert.plugin.settings.NodePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.opensearch.ResourceNotFoundException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.env.Environment;
import org.opensearch.secure_sm.AccessController;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Each node downloads the model into {@code <data>/modernbert/models/<name>} (the config directory is read-only
 * to plugins) on its generic pool, checks that the folder opens, and reports its models. Refused unless
 * {@code plugins.modernbert.download.enabled}; the only network access the plugin makes.
 */
public final class TransportModelDownloadAction
    extends NodeReportingAction<ModelDownloadRequest, ModelDownloadRequest.Source> {
  private static final Logger LOG = LogManager.getLogger(TransportModelDownloadAction.class);

  private final Path downloads;

  @Inject
  public TransportModelDownloadAction(ThreadPool threadPool, ClusterService clusterService,
      TransportService transportService, ActionFilters actionFilters, InferenceServices services,
      Environment environment) {
    super(ModelDownloadAction.NAME, threadPool, clusterService, transportService, actionFilters,
        ModelDownloadRequest::new, ModelDownloadRequest.Source::new, ThreadPool.Names.GENERIC, services);
    this.downloads = NodePaths.downloadedModelsDir(environment);
  }

  @Override
  protected ModelDownloadRequest.Source newNodeRequest(ModelDownloadRequest request) {
    return request.source();
  }

  @Override
  protected NodeReport nodeOperation(ModelDownloadRequest.Source s) {
    ClusterSettings settings = clusterService.getClusterSettings();
    try {
      AccessController.doPrivilegedChecked(() -> NodeModelDownload.download(
          settings.get(ModernBertSettings.DOWNLOAD_ENABLED), ModernBertSettings.DOWNLOAD_ENABLED.getKey(),
          services().registry(), downloads, HubEndpoint.resolve(settings.get(ModernBertSettings.DOWNLOAD_ENDPOINT),
              Map.of()), s.name, s.id, s.revision, LOG::info));
    } catch (FileNotFoundException e) {
      throw new ResourceNotFoundException("download of " + s.id + " failed: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("download of " + s.id + " failed: " + e.getMessage(), e);
    }
    return report();
  }
}
