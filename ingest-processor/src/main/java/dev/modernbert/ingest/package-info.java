/**
 * The {@code modernbert_embedding} ingest processor: chunks, offsets and vectors for each document, in batches.
 */
package dev.modernbert.ingest;
