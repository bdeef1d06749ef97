/**
 * ONNX Runtime sessions (CUDA with a clean CPU fallback), the encoder over them, and token-budget batching.
 */
package dev.modernbert.inference.runtime;
