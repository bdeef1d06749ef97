package dev.modernbert.plugin.ingest;

import dev.modernbert.ingest.VectorFieldCheck;
import dev.modernbert.knn.mapping.VectorFieldMappings;
import java.util.Map;
import java.util.function.Supplier;
import org.opensearch.cluster.metadata.IndexAbstraction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;

/**
 * Checks a document's target index in the cluster state before its text is embedded: each vector field the
 * processor writes must be a lucene-engine {@code knn_vector} of the model's dimension. An index that does not
 * exist yet is not checked (its mapping will come from a template or from the first document).
 */
public final class IndexMappingVectorCheck implements VectorFieldCheck {
  private final Supplier<ClusterService> cluster;

  public IndexMappingVectorCheck(Supplier<ClusterService> cluster) {
    this.cluster = cluster;
  }

  @Override
  public void check(String index, String field, int dimension) {
    IndexAbstraction target = cluster.get().state().metadata().getIndicesLookup().get(index);
    IndexMetadata write = target == null ? null : target.getWriteIndex();
    if (write == null) {
      return;
    }
    MappingMetadata mapping = write.mapping();
    Map<String, Object> source = mapping == null ? Map.of() : mapping.sourceAsMap();
    try {
      VectorFieldMappings.requireLuceneVector(field, source, dimension);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("index [" + write.getIndex().getName() + "]: " + e.getMessage(), e);
    }
  }
}
