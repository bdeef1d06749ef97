package dev.modernbert.ingest;

import dev.modernbert.inference.chunking.ChunkingOptions;

/**
 * The options of one {@code modernbert_embedding} processor.
 *
 * @param prefix prepended to every chunk before tokenization (the model's document prefix by default)
 * @param docVectorField where the document vector goes, or {@code null} for none
 */
public record EmbeddingProcessorConfig(String model, String field, String targetField, String docVectorField,
    String prefix, ChunkingOptions chunking, boolean storeText, boolean ignoreMissing) {}
