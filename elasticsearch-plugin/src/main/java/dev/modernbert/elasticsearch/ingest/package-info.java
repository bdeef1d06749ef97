/**
 * The {@code modernbert_embedding} ingest processor on Elasticsearch: chunks, offsets and vectors for each document.
 * Elasticsearch hands a processor one document at a time, so documents arriving together are gathered into
 * batches ({@link dev.modernbert.inference.documents.ArrivalBatcher}).
 */
package dev.modernbert.elasticsearch.ingest;
