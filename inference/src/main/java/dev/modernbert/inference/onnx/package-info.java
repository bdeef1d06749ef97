/**
 * The ModernBERT to ONNX compiler (blocked sliding-window attention for local layers), its compile cache,
 * and checks of exported graphs.
 */
package dev.modernbert.inference.onnx;
