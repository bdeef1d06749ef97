package dev.modernbert.inference.onnx;

import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;

/**
 * How the int8 graph stores its weights, and so how many bits of them ONNX Runtime multiplies exactly.
 *
 * <p>The uint8×int8 kernels of x86 CPUs without VNNI add the products of input positions 2j and 2j+1 into int16
 * ({@code vpmaddubsw}), and two products of 255·127 overflow it. Weights of at most ±63 never do; nor do 8-bit
 * weights whose every such pair sums to at most 128 in magnitude (255·128 fits), which cost a slightly coarser
 * scale than plain 8 bits but far less than 7. Where the kernel accumulates in int32 (AVX-512 VNNI, AVX-VNNI, AMX,
 * Arm's dot products) plain 8 bits are exact. On random 130m weights the pooled cosine against fp32 is at worst
 * 0.9965 with 7 bits, 0.9982 with paired 8 bits and 0.9987 with plain 8 bits.
 */
public enum Int8Weights {
  /** int8 in [−63, 63]: exact on every CPU. */
  SIGNED_7_BIT(63, 126, TensorProto.DataType.INT8, "", "7-bit"),
  /** int8 in [−127, 127]: exact where products accumulate in int32 ({@code Int8ProductProbe} finds out). */
  SIGNED_8_BIT(127, 254, TensorProto.DataType.INT8, "-w8", "8-bit"),
  /**
   * int8 in [−127, 127] with |w(2j) + w(2j+1)| ≤ 128 along the input axis: exact where products are added in such
   * pairs into int16 ({@code Int8ProductProbe} finds out).
   */
  PAIRED_8_BIT(127, 128, TensorProto.DataType.INT8, "-p8", "8-bit paired"),
  /**
   * uint8 with zero point 128, in [1, 255]: the same integers as {@link #SIGNED_8_BIT}. ONNX Runtime's
   * uint8×uint8 kernels widen both operands to 16 bits before multiplying, so they stay exact where signed 8-bit
   * weights overflow, but without VNNI they are slower than 7 bits. Benchmarks and tests use it to run the 8-bit
   * arithmetic on such CPUs.
   */
  UNSIGNED_8_BIT(127, 254, TensorProto.DataType.UINT8, "-u8", "8-bit unsigned");

  private final int levels;
  private final int pairLimit;
  private final TensorProto.DataType type;
  private final String key;
  private final String description;

  Int8Weights(int levels, int pairLimit, TensorProto.DataType type, String key, String description) {
    this.levels = levels;
    this.pairLimit = pairLimit;
    this.type = type;
    this.key = key;
    this.description = description;
  }

  /** The largest weight magnitude after quantization. */
  public int levels() {
    return levels;
  }

  /**
   * The largest magnitude of the sum of the weights at input positions 2j and 2j+1 of one output channel (where
   * it is twice {@link #levels}, there is no limit beyond theirs).
   */
  public int pairLimit() {
    return pairLimit;
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

  /**
   * How the models report and the benchmarks name it: {@code 7-bit}, {@code 8-bit}, {@code 8-bit paired} or
   * {@code 8-bit unsigned}.
   */
  public String description() {
    return description;
  }
}
