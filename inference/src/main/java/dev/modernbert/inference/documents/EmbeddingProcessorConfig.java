package dev.modernbert.inference.documents;

import dev.modernbert.inference.chunking.ChunkingOptions;
import java.util.List;

/**
 * The options of one {@code modernbert_embedding} processor.
 *
 * @param prefix prepended to every chunk before tokenization (the model's document prefix by default)
 * @param docVectorField where the document vector goes, or {@code null} for none
 * @param dimension the model's vector dimension
 */
public record EmbeddingProcessorConfig(String model, String field, String targetField, String docVectorField,
    String prefix, ChunkingOptions chunking, boolean storeText, boolean ignoreMissing, int dimension) {
  /** The processor's name in a pipeline. */
  public static final String TYPE = "modernbert_embedding";

  /** The vector fields this processor writes: the passages' and, when set, the document's. */
  public List<String> vectorFields() {
    return docVectorField == null ? List.of(targetField + ".embedding")
        : List.of(targetField + ".embedding", docVectorField);
  }
}
