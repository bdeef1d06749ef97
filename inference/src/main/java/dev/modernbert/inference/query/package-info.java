/**
 * Query vectors: one text per search, answered from an LRU cache or through the inference queue.
 */
package dev.modernbert.inference.query;
