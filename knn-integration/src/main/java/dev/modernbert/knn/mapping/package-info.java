/**
 * Checks that a field can hold the model's vectors: a lucene-engine {@code knn_vector} of its dimension.
 */
package dev.modernbert.knn.mapping;
