package dev.modernbert.inference.documents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineFieldModelsTest {
  private static Map<String, Object> pipeline(Map<String, Object> embedding) {
    return Map.of("processors", List.of(Map.of("set", Map.of("field", "x", "value", 1)),
        Map.of("modernbert_embedding", embedding)));
  }

  @Test
  void findsTheModelWritingTheChunkOrDocumentVectorField() {
    List<Map<String, Object>> pipelines = List.of(
        pipeline(Map.of("model", "ruri", "field", "body", "target_field", "body_chunks", "doc_vector_field", "body_vec")),
        pipeline(Map.of("model", "other", "field", "title", "target_field", "title_chunks")));
    assertEquals("ruri", PipelineFieldModels.modelFor(pipelines, "body_chunks.embedding"));
    assertEquals("ruri", PipelineFieldModels.modelFor(pipelines, "body_vec"));
    assertEquals("other", PipelineFieldModels.modelFor(pipelines, "title_chunks.embedding"));
  }

  @Test
  void noWriterOrSeveralModelsAsksForTheModel() {
    List<Map<String, Object>> pipelines = List.of(
        pipeline(Map.of("model", "a", "field", "body", "target_field", "chunks")),
        pipeline(Map.of("model", "b", "field", "body", "target_field", "chunks")),
        pipeline(Map.of("model", "a", "field", "text", "target_field", "chunks")));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PipelineFieldModels.modelFor(pipelines, "chunks.embedding")).getMessage().contains("several models [a, b]"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> PipelineFieldModels.modelFor(pipelines, "nothing.embedding")).getMessage().contains("set [model]"));
    assertEquals("a", PipelineFieldModels.modelFor(pipelines.subList(0, 1), "chunks.embedding"));
  }

  /** Another pipeline writing the same field name for another index does not make the searched index ambiguous. */
  @Test
  void theSearchedIndexDecidesBeforeTheClustersPipelines() {
    Map<String, Object> ja = pipeline(Map.of("model", "ruri", "field", "body", "target_field", "body_chunks"));
    Map<String, Object> other = pipeline(Map.of("model", "bge", "field", "body", "target_field", "body_chunks"));
    List<Map<String, Object>> all = List.of(ja, other);
    String field = "body_chunks.embedding";
    assertEquals("ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of())), all, field));
    assertEquals("bge", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(), Map.of("model", "bge"))), all, field),
        "by the mapping's _meta when no pipeline of the index writes it");
    assertEquals("ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of("model", "bge"))), all, field),
        "its pipeline wins over _meta");
    assertEquals("ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of()),
            "logs", new PipelineFieldModels.IndexWriters(List.of(), Map.of())), all, field),
        "an index that says nothing adds nothing");
    String both = assertThrows(IllegalArgumentException.class, () -> PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of()),
            "news", new PipelineFieldModels.IndexWriters(List.of(other), Map.of())), all, field)).getMessage();
    assertTrue(both.contains("{bge=[news], ruri=[docs]}"), both);
    String none = assertThrows(IllegalArgumentException.class, () -> PipelineFieldModels.modelFor(
        Map.of("logs", new PipelineFieldModels.IndexWriters(List.of(), Map.of())), all, field)).getMessage();
    assertTrue(none.contains("several"), "no index says: the cluster's pipelines are asked, and they are ambiguous");
  }
}
