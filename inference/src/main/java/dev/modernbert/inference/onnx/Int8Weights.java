package dev.modernbert.inference.onnx;

import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;

/**
 * How the int8 graph stores its weights, and so how many bits of them ONNX Runtime multiplies exactly.
 *
 * <p>The uint8×int8 kernels of x86 CPUs without VNNI add products in pairs into int16 ({@code vpmaddubsw}), and
 * two products of 255·127 overflow it; with weights of at most ±63 no pair can. Where the kernel accumulates in
 * int32 (AVX-512 VNNI, AVX-VNNI, AMX, Arm's dot products) all eight bits are exact, and they halve the weights'
 * rounding error: on random 130m weights the pooled cosine against fp32 rises from 0.9970 to 0.9987 at worst.
 */
public enum Int8Weights {
  /** int8 in [−63, 63]: exact on every CPU. */
  SIGNED_7_BIT(63, TensorProto.DataType.INT8, "", "7-bit"),
  /** int8 in [−127, 127]: exact where products accumulate in int32 ({@code Int8ProductProbe} finds out). */
  SIGNED_8_BIT(127, TensorProto.DataType.INT8, "-w8", "8-bit"),
  /**
   * uint8 with zero point 128, in [1, 255]: the same integers as {@link #SIGNED_8_BIT}. ONNX Runtime's
   * uint8×uint8 kernels widen both operands to 16 bits before multiplying, so they stay exact where signed 8-bit
   * weights overflow, but without VNNI they are slower than 7 bits. Benchmarks and tests use it to run the 8-bit
   * arithmetic on such CPUs.
   */
  UNSIGNED_8_BIT(127, TensorProto.DataType.UINT8, "-u8", "8-bit unsigned");

  private final int levels;
  private final TensorProto.DataType type;
  private final String key;
  private final String description;

  Int8Weights(int levels, TensorProto.DataType type, String key, String description) {
    this.levels = levels;
    this.type = type;
    this.key = key;
    this.description = description;
  }

  /** The largest weight magnitude after quantization. */
  public int levels() {
    return levels;
  }

  /** The ONNX element type the weights are stored in. */
  TensorProto.DataType type() {
    return type;
  }

  /** Whether the stored weights carry the zero point 128. */
  boolean unsigned() {
    return type == TensorProto.DataType.UINT8;
  }

  /** What this format adds to a compile-cache key (nothing for the first format, so its keys stay as they were). */
  String key() {
    return key;
  }

  /** How the models report and the benchmarks name it: {@code 7-bit}, {@code 8-bit} or {@code 8-bit unsigned}. */
  public String description() {
    return description;
  }
}
