package dev.modernbert.plugin.search;

import java.util.List;
import java.util.Map;
import org.opensearch.test.OpenSearchTestCase;

public class PipelineFieldModelsTests extends OpenSearchTestCase {
  private static Map<String, Object> pipeline(Map<String, Object> embedding) {
    return Map.of("processors", List.of(Map.of("set", Map.of("field", "x", "value", 1)),
        Map.of("modernbert_embedding", embedding)));
  }

  public void testFindsTheModelWritingTheChunkOrDocumentVectorField() {
    List<Map<String, Object>> pipelines = List.of(
        pipeline(Map.of("model", "ruri", "field", "body", "target_field", "body_chunks", "doc_vector_field", "body_vec")),
        pipeline(Map.of("model", "other", "field", "title", "target_field", "title_chunks")));
    assertEquals("ruri", PipelineFieldModels.modelFor(pipelines, "body_chunks.embedding"));
    assertEquals("ruri", PipelineFieldModels.modelFor(pipelines, "body_vec"));
    assertEquals("other", PipelineFieldModels.modelFor(pipelines, "title_chunks.embedding"));
  }

  public void testNoWriterOrSeveralModelsAsksForTheModel() {
    List<Map<String, Object>> pipelines = List.of(
        pipeline(Map.of("model", "a", "field", "body", "target_field", "chunks")),
        pipeline(Map.of("model", "b", "field", "body", "target_field", "chunks")),
        pipeline(Map.of("model", "a", "field", "text", "target_field", "chunks")));
    assertTrue(expectThrows(IllegalArgumentException.class,
        () -> PipelineFieldModels.modelFor(pipelines, "chunks.embedding")).getMessage().contains("several models [a, b]"));
    assertTrue(expectThrows(IllegalArgumentException.class,
        () -> PipelineFieldModels.modelFor(pipelines, "nothing.embedding")).getMessage().contains("set [model]"));
    assertEquals("a", PipelineFieldModels.modelFor(pipelines.subList(0, 1), "chunks.embedding"));
  }
}
