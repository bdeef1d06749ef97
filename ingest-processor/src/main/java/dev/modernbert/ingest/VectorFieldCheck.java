package dev.modernbert.ingest;

/**
 * Checks, before a document is embedded, that the index it is going to can hold the vectors (the plugin checks
 * for a lucene-engine {@code knn_vector} of the model's dimension). A document whose index fails the check
 * fails alone, with the reason.
 */
@FunctionalInterface
public interface VectorFieldCheck {
  /**
   * @param index the document's target index
   * @param field a vector field the processor writes, e.g. {@code body_chunks.embedding}
   * @throws IllegalArgumentException naming the field and what to change
   */
  void check(String index, String field, int dimension);
}
