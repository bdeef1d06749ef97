package dev.modernbert.elasticsearch.query;

import dev.modernbert.inference.documents.PipelineFieldModels;
import dev.modernbert.inference.query.QueryEmbedder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.MappingMetadata;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.ingest.IngestMetadata;
import org.elasticsearch.ingest.PipelineConfiguration;

/**
 * Query vectors on this node: the model defaults to the one the searched indices write the field with (their
 * pipelines, else their mapping's {@code _meta.model}), and the text is embedded by the node's
 * {@link QueryEmbedder} (cache, then the inference queue's query lane). A full queue answers 429.
 */
public final class QueryVectors {
  private final Supplier<ClusterService> cluster;
  private final Supplier<QueryEmbedder> embedder;

  /** Suppliers: queries are registered before the node creates its services. */
  public QueryVectors(Supplier<ClusterService> cluster, Supplier<QueryEmbedder> embedder) {
    this.cluster = cluster;
    this.embedder = embedder;
  }

  /**
   * Embeds {@code text} for a search on {@code field}, answering {@code listener} from another thread or at once.
   *
   * @param model the model, or {@code null} for the one the searched indices write {@code field} with
   * @param prefix the text's prefix, or {@code null} for the model's query prefix
   * @param indices the searched indices, or an empty map where they are not known
   */
  public void embed(String field, String model, String text, String prefix, Map<Index, IndexMetadata> indices,
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
        listener.onFailure(InferenceFailures.forElasticsearch(error));
      }
    });
  }

  private String defaultModel(String field, Map<Index, IndexMetadata> indices) {
    IngestMetadata ingest = cluster.get().state().metadata().getProject().custom(IngestMetadata.TYPE);
    Map<String, PipelineConfiguration> pipelines = ingest == null ? Map.of() : ingest.getPipelines();
    Map<String, PipelineFieldModels.IndexWriters> searched = new TreeMap<>();
    indices.forEach((index, md) -> {
      List<Map<String, Object>> own = Stream.of(IndexSettings.DEFAULT_PIPELINE, IndexSettings.FINAL_PIPELINE)
          .map(s -> pipelines.get(s.get(md.getSettings()))).filter(Objects::nonNull)
          .map(PipelineConfiguration::getConfig).toList();
      MappingMetadata mapping = md.mapping();
      Object meta = mapping == null ? null : mapping.sourceAsMap().get("_meta");
      searched.put(index.getName(), new PipelineFieldModels.IndexWriters(own,
          meta instanceof Map<?, ?> mm ? cast(mm) : Map.of()));
    });
    return PipelineFieldModels.modelFor(searched,
        pipelines.values().stream().map(PipelineConfiguration::getConfig).toList(), field);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
