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

  /** Another pipeline writing the same field name for another index does not make the searched index ambiguous. */
  public void testTheSearchedIndexDecidesBeforeTheClustersPipelines() {
    Map<String, Object> ja = pipeline(Map.of("model", "ruri", "field", "body", "target_field", "body_chunks"));
    Map<String, Object> other = pipeline(Map.of("model", "bge", "field", "body", "target_field", "body_chunks"));
    List<Map<String, Object>> all = List.of(ja, other);
    String field = "body_chunks.embedding";
    assertEquals("ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of())), all, field));
    assertEquals("by the mapping's _meta when no pipeline of the index writes it", "bge", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(), Map.of("model", "bge"))), all, field));
    assertEquals("its pipeline wins over _meta", "ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of("model", "bge"))), all, field));
    assertEquals("an index that says nothing adds nothing", "ruri", PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of()),
            "logs", new PipelineFieldModels.IndexWriters(List.of(), Map.of())), all, field));
    String both = expectThrows(IllegalArgumentException.class, () -> PipelineFieldModels.modelFor(
        Map.of("docs", new PipelineFieldModels.IndexWriters(List.of(ja), Map.of()),
            "news", new PipelineFieldModels.IndexWriters(List.of(other), Map.of())), all, field)).getMessage();
    assertTrue(both, both.contains("{bge=[news], ruri=[docs]}"));
    String none = expectThrows(IllegalArgumentException.class, () -> PipelineFieldModels.modelFor(
        Map.of("logs", new PipelineFieldModels.IndexWriters(List.of(), Map.of())), all, field)).getMessage();
    assertTrue("no index says: the cluster's pipelines are asked, and they are ambiguous", none.contains("several"));
  }
}
