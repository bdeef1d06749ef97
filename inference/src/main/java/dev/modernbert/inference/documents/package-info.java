/**
 * What an edition's {@code modernbert_embedding} ingest processor does, without the search engine: its options
 * parsed from a pipeline's configuration, the texts read from a document's field, the chunk objects and document
 * vector written back, and documents that arrive one at a time gathered into batches.
 */
package dev.modernbert.inference.documents;
