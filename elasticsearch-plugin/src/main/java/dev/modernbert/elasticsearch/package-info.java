/**
 * The Elasticsearch edition of ModernBERT-Ja semantic search: the plugin class that wires the engine core into an
 * Elasticsearch 9.5 node. The engine itself (model folders, tokenizer, ONNX Runtime, chunking, the inference queue)
 * is {@code dev.modernbert.inference}, shared with the OpenSearch edition.
 */
package dev.modernbert.elasticsearch;
