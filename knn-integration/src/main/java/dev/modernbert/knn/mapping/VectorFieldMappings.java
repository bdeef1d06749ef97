package dev.modernbert.knn.mapping;

import java.util.Map;
import java.util.Optional;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.knn.index.engine.KNNMethodContext;
import org.opensearch.knn.index.mapper.KNNVectorFieldType;

/**
 * Checks that a field can hold this plugin's vectors: a {@code knn_vector} with engine {@code lucene} and the
 * model's dimension. Anything else is refused with what to change. The engine matters most: the k-NN zip on
 * Maven Central has no faiss library, so the first flush of a faiss field (k-NN's default engine) kills the
 * node, and translog replay kills it again on restart.
 */
public final class VectorFieldMappings {
  private static final String KNN_VECTOR = "knn_vector";
  /** {@code KNNEngine.LUCENE}'s name; not read from the enum, whose initialization needs the node's k-NN plugin. */
  private static final String LUCENE = "lucene";

  private VectorFieldMappings() {}

  /** A field as mapped: its type, its k-NN engine ({@code null} when none is set) and dimension. */
  record MappedVector(String type, String engine, int dimension) {}

  /**
   * Checks a field of a shard's mapping (what the query runs against).
   *
   * @throws IllegalArgumentException naming the field and what to change
   */
  public static void requireLuceneVector(String field, MappedFieldType type, int dimension) {
    if (type == null) {
      throw new IllegalArgumentException("field [" + field + "] is not mapped" + fix());
    }
    if (!(type instanceof KNNVectorFieldType knn)) {
      require(field, new MappedVector(type.typeName(), null, 0), dimension);
      return;
    }
    Optional<KNNMethodContext> method = knn.getKnnMappingConfig().getKnnMethodContext();
    String engine = method.map(m -> m.getKnnEngine().getName()).orElse(null);
    require(field, new MappedVector(KNN_VECTOR, engine, knn.getKnnMappingConfig().getDimension()), dimension);
  }

  /**
   * Checks a field in an index's mapping source (as stored in the cluster state), following {@code properties}
   * through object and nested fields: {@code body_chunks.embedding} is
   * {@code properties.body_chunks.properties.embedding}.
   *
   * @throws IllegalArgumentException naming the field and what to change
   */
  public static void requireLuceneVector(String field, Map<String, ?> mappingSource, int dimension) {
    Map<?, ?> node = mappingSource;
    for (String part : field.split("\\.", -1)) {
      Object props = node == null ? null : node.get("properties");
      Object next = props instanceof Map<?, ?> p ? p.get(part) : null;
      node = next instanceof Map<?, ?> m ? m : null;
    }
    if (node == null) {
      throw new IllegalArgumentException("field [" + field + "] is not mapped" + fix());
    }
    String type = String.valueOf(node.get("type") == null ? "object" : node.get("type"));
    String engine = node.get("method") instanceof Map<?, ?> method && method.get("engine") != null
        ? method.get("engine").toString() : null;
    int dim = node.get("dimension") instanceof Number n ? n.intValue() : 0;
    require(field, new MappedVector(type, engine, dim), dimension);
  }

  static void require(String field, MappedVector mapped, int dimension) {
    if (!KNN_VECTOR.equals(mapped.type())) {
      throw new IllegalArgumentException("field [" + field + "] is of type [" + mapped.type() + "], not a "
          + "knn_vector" + fix());
    }
    if (!LUCENE.equals(mapped.engine())) {
      throw new IllegalArgumentException("field [" + field + "] is a knn_vector with engine ["
          + (mapped.engine() == null ? "default (faiss)" : mapped.engine()) + "]; this node can only serve engine "
          + "[lucene] (the k-NN plugin here has no faiss library, and a faiss field stops the node): map it with "
          + "\"method\": {\"name\": \"hnsw\", \"engine\": \"lucene\"}" + fix());
    }
    if (mapped.dimension() != dimension) {
      throw new IllegalArgumentException("field [" + field + "] has dimension [" + mapped.dimension()
          + "] but the model makes vectors of dimension [" + dimension + "]" + fix());
    }
  }

  private static String fix() {
    return " (GET /_plugins/_modernbert/models/<model>/_mapping gives a mapping that works)";
  }
}
