package dev.modernbert.knn.mapping;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping sources as the cluster state stores them: only a lucene knn_vector of the right dimension passes. */
class VectorFieldMappingsTest {
  private static Map<String, Object> nested(Map<String, Object> embedding) {
    return Map.of("properties", Map.of("body_chunks", Map.of("type", "nested",
        "properties", Map.of("text", Map.of("type", "text"), "embedding", embedding))));
  }

  private static Map<String, Object> knn(String engine, int dim) {
    return engine == null ? Map.of("type", "knn_vector", "dimension", dim)
        : Map.of("type", "knn_vector", "dimension", dim, "method", Map.of("name", "hnsw", "engine", engine));
  }

  private static String refusal(Map<String, Object> mapping, String field, int dim) {
    return assertThrows(IllegalArgumentException.class,
        () -> VectorFieldMappings.requireLuceneVector(field, mapping, dim)).getMessage();
  }

  @Test
  void acceptsALuceneVectorOfTheModelsDimensionInsideNested() {
    assertDoesNotThrow(() -> VectorFieldMappings.requireLuceneVector("body_chunks.embedding",
        nested(knn("lucene", 256)), 256));
  }

  @Test
  void refusesFaissDefaultEngineWrongDimensionOtherTypesAndUnmappedFields() {
    assertTrue(refusal(nested(knn("faiss", 256)), "body_chunks.embedding", 256).contains("engine [faiss]"));
    String dflt = refusal(nested(knn(null, 256)), "body_chunks.embedding", 256);
    assertTrue(dflt.contains("default (faiss)") && dflt.contains("\"engine\": \"lucene\""), dflt);
    assertTrue(refusal(nested(knn("lucene", 384)), "body_chunks.embedding", 256)
        .contains("dimension [384] but the model makes vectors of dimension [256]"));
    assertTrue(refusal(nested(Map.of("type", "float")), "body_chunks.embedding", 256).contains("of type [float]"));
    assertTrue(refusal(nested(knn("lucene", 256)), "body_chunks.vector", 256).contains("is not mapped"));
    assertTrue(refusal(Map.of(), "body_chunks.embedding", 256).contains("_mapping"));
  }
}
