package dev.modernbert.inference.documents;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model a vector field is written with, for a query without {@code model}. Each searched index says it first:
 * its default and final pipelines' {@code modernbert_embedding} processors whose {@code target_field}{@code
 * .embedding} or {@code doc_vector_field} is the field, else the {@code model} in its mapping's {@code _meta} (which
 * the {@code _mapping} endpoint writes). Only when no searched index says anything are all the cluster's pipelines
 * asked. The model is ambiguous only when the searched indices (or, failing them, the pipelines) name several.
 */
public final class PipelineFieldModels {
  private PipelineFieldModels() {}

  /** What one searched index knows: the pipelines that run on its documents, and its mapping's {@code _meta}. */
  public record IndexWriters(List<Map<String, Object>> pipelines, Map<String, Object> mappingMeta) {}

  /**
   * @param indices each concrete searched index (when known) with what it knows
   * @param pipelines every pipeline of the cluster (each as {@code GET _ingest/pipeline} shows it)
   * @throws IllegalArgumentException when nothing names a model for {@code field}, or several do
   */
  public static String modelFor(Map<String, IndexWriters> indices, Collection<Map<String, Object>> pipelines,
      String field) {
    Map<String, Set<String>> indicesByModel = new TreeMap<>();
    indices.forEach((index, writers) -> {
      Set<String> models = modelsWriting(writers.pipelines(), field);
      if (models.isEmpty() && writers.mappingMeta().get("model") instanceof String model) {
        models = Set.of(model);
      }
      models.forEach(m -> indicesByModel.computeIfAbsent(m, k -> new TreeSet<>()).add(index));
    });
    if (indicesByModel.size() == 1) {
      return indicesByModel.keySet().iterator().next();
    }
    if (indicesByModel.size() > 1) {
      throw new IllegalArgumentException("no [model] given and the searched indices write [" + field
          + "] with several models " + indicesByModel + ": set [model]");
    }
    return modelFor(pipelines, field);
  }

  /**
   * @param pipelines the pipelines' configurations (each as {@code GET _ingest/pipeline} shows it)
   * @throws IllegalArgumentException when no pipeline or more than one model writes {@code field}
   */
  public static String modelFor(Collection<Map<String, Object>> pipelines, String field) {
    Set<String> models = modelsWriting(pipelines, field);
    if (models.size() == 1) {
      return models.iterator().next();
    }
    throw new IllegalArgumentException(models.isEmpty()
        ? "no [model] given and neither the searched indices nor any ingest pipeline's "
            + EmbeddingProcessorConfig.TYPE + " processor name a model for [" + field + "]: set [model]"
        : "no [model] given and [" + field + "] is written by several models " + models + ": set [model]");
  }

  private static Set<String> modelsWriting(Collection<Map<String, Object>> pipelines, String field) {
    Set<String> models = new TreeSet<>();
    for (Map<String, Object> pipeline : pipelines) {
      if (pipeline.get("processors") instanceof List<?> processors) {
        for (Object p : processors) {
          if (p instanceof Map<?, ?> m && m.get(EmbeddingProcessorConfig.TYPE) instanceof Map<?, ?> c
              && writes(c, field) && c.get("model") instanceof String model) {
            models.add(model);
          }
        }
      }
    }
    return models;
  }

  private static boolean writes(Map<?, ?> processor, String field) {
    return field.equals(processor.get("target_field") + ".embedding") || field.equals(processor.get("doc_vector_field"));
  }
}
