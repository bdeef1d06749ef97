package dev.modernbert.inference.engine;

import java.util.Locale;

/**
 * How a model's weights are stored and multiplied on the CPU. {@code INT8} runs the linear layers in int8 (weights
 * per output channel in as many bits, 7 or 8, as the CPU multiplies exactly; activations quantized per token at
 * run time) and everything else in float32; on CUDA the fp16 graph runs either way.
 */
public enum Quantization {
  NONE,
  INT8;

  /** Parses {@code none} / {@code int8}. */
  public static Quantization parse(String s) {
    return switch (s) {
      case "none" -> NONE;
      case "int8" -> INT8;
      default -> throw new IllegalArgumentException("quantization must be none or int8, got \"" + s + "\"");
    };
  }

  /** The name {@link #parse} reads. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
