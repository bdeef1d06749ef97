/**
 * The plain-Java ModernBERT forward pass written from the spec: the oracle the ONNX graph is tested against.
 */
package dev.modernbert.inference.reference;
