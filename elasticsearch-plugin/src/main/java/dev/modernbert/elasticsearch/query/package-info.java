/**
 * The {@code modernbert_knn} query on Elasticsearch: query text embedded on the coordinating node, then
 * Elasticsearch's own {@code knn} query over the passages' {@code dense_vector}s, the best passages as inner hits.
 */
package dev.modernbert.elasticsearch.query;
