package dev.modernbert.plugin.search;

import dev.modernbert.inference.documents.PipelineFieldModels;
import dev.modernbert.inference.query.QueryEmbedder;
import dev.modernbert.knn.query.QueryVectorSource;
import dev.modernbert.plugin.action.InferenceFailures;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.index.Index;
import org.opensearch.index.IndexSettings;
import org.opensearch.ingest.IngestMetadata;
import org.opensearch.ingest.PipelineConfiguration;

/**
 * Query vectors on this node: the model defaults to the one the searched indices write the field with, and the
 * text is embedded by the node's {@link QueryEmbedder} (cache, then the inference queue). A full queue answers 429.
 */
public final class NodeQueryVectors implements QueryVectorSource {
  private final Supplier<ClusterService> cluster;
  private final Supplier<IndexNameExpressionResolver> resolver;
  private final Supplier<QueryEmbedder> embedder;

  /** Suppliers: queries are registered before the node creates its services. */
  public NodeQueryVectors(Supplier<ClusterService> cluster, Supplier<IndexNameExpressionResolver> resolver,
      Supplier<QueryEmbedder> embedder) {
    this.cluster = cluster;
    this.resolver = resolver;
    this.embedder = embedder;
  }

  @Override
  public void embed(String field, String model, String text, String prefix, String[] indices,
      ActionListener<float[]> listener) {
    String m;
    try {
      m = model != null ? model : defaultModel(field, indices);
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

  private String defaultModel(String field, String[] indices) {
    ClusterState state = cluster.get().state();
    IngestMetadata ingest = state.metadata().custom(IngestMetadata.TYPE);
    Map<String, PipelineConfiguration> pipelines = ingest == null ? Map.of() : ingest.getPipelines();
    Map<String, PipelineFieldModels.IndexWriters> searched = new TreeMap<>();
    if (indices != null) {
      for (Index index : resolver.get().concreteIndices(state, IndicesOptions.lenientExpandOpen(), indices)) {
        IndexMetadata md = state.metadata().index(index);
        List<Map<String, Object>> own = Stream.of(IndexSettings.DEFAULT_PIPELINE, IndexSettings.FINAL_PIPELINE)
            .map(s -> pipelines.get(s.get(md.getSettings()))).filter(Objects::nonNull)
            .map(PipelineConfiguration::getConfigAsMap).toList();
        MappingMetadata mapping = md.mapping();
        Object meta = mapping == null ? null : mapping.sourceAsMap().get("_meta");
        searched.put(index.getName(), new PipelineFieldModels.IndexWriters(own,
            meta instanceof Map<?, ?> m ? cast(m) : Map.of()));
      }
    }
    return PipelineFieldModels.modelFor(searched,
        pipelines.values().stream().map(PipelineConfiguration::getConfigAsMap).toList(), field);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
