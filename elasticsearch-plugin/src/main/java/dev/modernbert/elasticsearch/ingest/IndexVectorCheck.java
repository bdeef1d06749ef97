package dev.modernbert.elasticsearch.ingest;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.elasticsearch.cluster.metadata.IndexAbstraction;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.MappingMetadata;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.cluster.service.ClusterService;

/**
 * Checks a document's target index in the cluster state before its text is embedded: each vector field the
 * processor writes must be a {@code dense_vector} of the model's dimension (or of a dimension not set yet). An index
 * that does not exist yet is not checked (its mapping will come from a template or from the first document).
 */
final class IndexVectorCheck {
  private final Supplier<ClusterService> cluster;

  IndexVectorCheck(Supplier<ClusterService> cluster) {
    this.cluster = cluster;
  }

  /**
   * @param fields the vector fields the processor writes, e.g. {@code body_chunks.embedding}
   * @throws IllegalArgumentException naming the index, the first field that cannot hold the vectors and what to change
   */
  void check(String index, List<String> fields, int dimension) {
    ProjectMetadata project = cluster.get().state().metadata().getProject();
    IndexAbstraction target = project.getIndicesLookup().get(index);
    IndexMetadata write = target == null || target.getWriteIndex() == null ? null
        : project.index(target.getWriteIndex());
    if (write == null) {
      return;
    }
    MappingMetadata mapping = write.mapping();
    // parsed once for all the fields: the check runs for every document
    Map<?, ?> source = mapping == null ? Map.of() : mapping.sourceAsMap();
    for (String field : fields) {
      String problem = problem(source, field, dimension);
      if (problem != null) {
        throw new IllegalArgumentException("index [" + write.getIndex().getName() + "]: field [" + field + "] "
            + problem + " (GET /_plugins/_modernbert/models/<model>/_mapping gives a mapping that works)");
      }
    }
  }

  /** Why {@code field} of the mapping {@code source} cannot hold the model's vectors, or {@code null}. */
  private static String problem(Map<?, ?> source, String field, int dimension) {
    Map<?, ?> node = source;
    for (String part : field.split("\\.", -1)) {
      Object next = node != null && node.get("properties") instanceof Map<?, ?> p ? p.get(part) : null;
      node = next instanceof Map<?, ?> m ? m : null;
    }
    if (node == null) {
      return "is not mapped";
    }
    if (!"dense_vector".equals(node.get("type"))) {
      return "is of type [" + (node.get("type") == null ? "object" : node.get("type")) + "], not a dense_vector";
    }
    if (node.get("dims") instanceof Number dims && dims.intValue() != dimension) {
      return "has " + dims + " dimensions but the model makes vectors of " + dimension;
    }
    return null;
  }
}
