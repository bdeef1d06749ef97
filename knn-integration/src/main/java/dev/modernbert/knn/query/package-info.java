/**
 * The {@code modernbert_knn} query: text embedded on the coordinating node, k-NN on the shards, passages
 * from nested chunks.
 */
package dev.modernbert.knn.query;
