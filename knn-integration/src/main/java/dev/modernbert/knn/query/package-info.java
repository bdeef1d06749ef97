/**
 * The {@code modernbert_knn} and {@code modernbert_hybrid} queries on OpenSearch: text embedded on the coordinating
 * node, k-NN on the shards (and, for the hybrid, BM25 over the passages' text, fused by reciprocal rank), passages
 * from nested chunks.
 */
package dev.modernbert.knn.query;
