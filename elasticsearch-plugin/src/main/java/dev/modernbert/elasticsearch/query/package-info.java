/**
 * The {@code modernbert_knn} and {@code modernbert_hybrid} queries on Elasticsearch: query text embedded on the
 * coordinating node, then Elasticsearch's own {@code knn} query over the passages' {@code dense_vector}s (and, for
 * the hybrid, BM25 over their text, fused by reciprocal rank), the best passages as inner hits.
 */
package dev.modernbert.elasticsearch.query;
