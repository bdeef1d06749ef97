/**
 * The ModernBERT to ONNX compiler (blocked sliding-window attention for local layers; fp32, fp16 or int8 linear
 * layers), its compile cache, and the int8 rewrite and checks of exported graphs.
 */
package dev.modernbert.inference.onnx;
