/**
 * Reciprocal rank fusion of a vector ranking and a keyword ranking as plain Lucene queries: each side runs on the
 * whole shard's searcher, and the fused documents run as one query with their fused scores. Knows nothing of
 * OpenSearch or Elasticsearch: both editions' {@code modernbert_hybrid} build their two sides and hand them here.
 */
package dev.modernbert.fusion;
