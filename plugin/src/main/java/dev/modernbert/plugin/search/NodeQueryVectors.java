package dev.modernbert.plugin.search;

import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.knn.query.QueryVectorSource;
import dev.modernbert.plugin.InferenceFailures;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.PipelineConfiguration;

/**
 * Query vectors on this node: the model defaults to the one the cluster's pipelines write the field with, and the
 * text is embedded by the node's {@link QueryEmbedder} (cache, then the inference queue). A full queue answers 429.
 */
public final class NodeQueryVectors implements QueryVectorSource {
  private final Supplier<ClusterService> cluster;
  private final Supplier<QueryEmbedder> embedder;

  /** Suppliers: queries are registered before the node creates its services. */
  public NodeQueryVectors(Supplier<ClusterService> cluster, Supplier<QueryEmbedder> embedder) {
    this.cluster = cluster;
    this.embedder = embedder;
  }

  @Override
  public void embed(String field, String model, String text, String prefix, ActionListener<float[]> listener) {
    String m;
    try {
      m = model != null ? model : defaultModel(field);
    } catch (IllegalArgumentException e) {
      listener.onFailure(e);
      return;
    }
    embedder.get().embed(m, text, prefix).whenComplete((vector, error) -> {
      if (error == null) {
        listener.onResponse(vector);
      } else {
        listener.onFailure(InferenceFailures.forOpenSearch(error));
      }
    });
  }

  private String defaultModel(String field) {
    IngestMetadata ingest = cluster.get().state().metadata().custom(IngestMetadata.TYPE);
    List<Map<String, Object>> pipelines = ingest == null ? List.of()
        : ingest.getPipelines().values().stream().map(PipelineConfiguration::getConfigAsMap).toList();
    return PipelineFieldModels.modelFor(pipelines, field);
  }
}
