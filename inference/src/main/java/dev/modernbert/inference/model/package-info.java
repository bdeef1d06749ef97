/**
 * Hugging Face model folders: config.json, safetensors (single or sharded), sentence-transformers
 * metadata, and exported ONNX folders; every file validated before anything is allocated from it.
 */
package dev.modernbert.inference.model;
