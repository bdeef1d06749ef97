package dev.modernbert.plugin.search;

import dev.modernbert.ingest.ModernBertEmbeddingProcessor;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model a vector field is written with, read from the cluster's ingest pipelines: the {@code model} of every
 * {@code modernbert_embedding} processor whose {@code target_field}{@code .embedding} or {@code doc_vector_field}
 * is the field. A query without {@code model} uses it when exactly one model writes the field.
 */
final class PipelineFieldModels {
  private PipelineFieldModels() {}

  /**
   * @param pipelines the pipelines' configurations (each as {@code GET _ingest/pipeline} shows it)
   * @throws IllegalArgumentException when no pipeline or more than one model writes {@code field}
   */
  static String modelFor(Collection<Map<String, Object>> pipelines, String field) {
    Set<String> models = new TreeSet<>();
    for (Map<String, Object> pipeline : pipelines) {
      if (pipeline.get("processors") instanceof List<?> processors) {
        for (Object p : processors) {
          if (p instanceof Map<?, ?> m && m.get(ModernBertEmbeddingProcessor.TYPE) instanceof Map<?, ?> c
              && writes(c, field) && c.get("model") instanceof String model) {
            models.add(model);
          }
        }
      }
    }
    if (models.size() == 1) {
      return models.iterator().next();
    }
    throw new IllegalArgumentException(models.isEmpty()
        ? "no [model] given and no ingest pipeline's " + ModernBertEmbeddingProcessor.TYPE + " processor writes ["
            + field + "]: set [model]"
        : "no [model] given and [" + field + "] is written by several models " + models + ": set [model]");
  }

  private static boolean writes(Map<?, ?> processor, String field) {
    return field.equals(processor.get("target_field") + ".embedding") || field.equals(processor.get("doc_vector_field"));
  }
}
