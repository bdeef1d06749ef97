package dev.modernbert.inference.onnx;

import dev.modernbert.inference.pooling.Pooling;
import java.util.Locale;
import java.util.Objects;

/**
 * What the compiled graph computes besides the encoder itself.
 *
 * @param attention how local layers attend: {@link AttentionMode#BLOCKED} (O(n·window)) or
 *     {@link AttentionMode#FULL} (masked O(n²), what a Hugging Face export does)
 * @param pooling the pooling of the {@code sentence_embedding} output, or {@code null} for a graph whose only
 *     output is {@code last_hidden_state} (what runtimes that pool outside the graph, such as ml-commons, expect)
 * @param normalize whether {@code sentence_embedding} is L2-normalized in the graph
 * @param fullAttentionUpTo in {@link AttentionMode#BLOCKED} mode, sequences of at most this many tokens take
 *     masked full attention in local layers instead (cheaper there: the window covers most keys, and blocks
 *     would pad the keys up to 3·64); 0 always uses blocks. Either way the result is the same.
 * @param precision the number format of weights and activations
 * @param packTokens whether the per-token layers run on the real tokens only, packed into one row, so padding
 *     costs attention alone ({@link TokenPacking}); a graph that is only ever given one text at a time gains
 *     nothing from it
 * @param int8Weights how the weights of an {@link Precision#INT8} graph are stored
 */
public record CompileOptions(AttentionMode attention, Pooling pooling, boolean normalize, int fullAttentionUpTo,
    Precision precision, boolean packTokens, Int8Weights int8Weights) {
  /** Up to this length masked full attention beats blocks on CPU (measured by {@code bench engine}). */
  public static final int DEFAULT_FULL_ATTENTION_UP_TO = 256;

  /**
   * The number format of weights and activations. {@code FP16} is for CUDA: weights and activations in float16,
   * LayerNorm, the softmax of local attention, masks, pooling and the outputs in float32 (the global layers'
   * MultiHeadAttention accumulates in float32 itself). {@code INT8} is for CPUs: the linear layers in int8
   * ({@link Int8Linear}), everything else in float32.
   */
  public enum Precision { FP32, FP16, INT8 }

  /** fp32 options with packed tokens and the default short-sequence switch (blocked mode) or none (full mode). */
  public CompileOptions(AttentionMode attention, Pooling pooling, boolean normalize) {
    this(attention, pooling, normalize, attention == AttentionMode.BLOCKED ? DEFAULT_FULL_ATTENTION_UP_TO : 0);
  }

  /** fp32 options with packed tokens. */
  public CompileOptions(AttentionMode attention, Pooling pooling, boolean normalize, int fullAttentionUpTo) {
    this(attention, pooling, normalize, fullAttentionUpTo, Precision.FP32, true, Int8Weights.SIGNED_7_BIT);
  }

  public CompileOptions {
    if (fullAttentionUpTo < 0) {
      throw new IllegalArgumentException("fullAttentionUpTo must be ≥ 0, got " + fullAttentionUpTo);
    }
    Objects.requireNonNull(int8Weights, "int8Weights");
  }

  /** These options in {@code p}. */
  public CompileOptions withPrecision(Precision p) {
    return new CompileOptions(attention, pooling, normalize, fullAttentionUpTo, p, packTokens, int8Weights);
  }

  /** These options in int8, with the weights stored as {@code weights}. */
  public CompileOptions withInt8Weights(Int8Weights weights) {
    return new CompileOptions(attention, pooling, normalize, fullAttentionUpTo, Precision.INT8, packTokens, weights);
  }

  /** These options with the per-token layers on packed real tokens ({@code true}) or on every slot. */
  public CompileOptions withPackedTokens(boolean packed) {
    return new CompileOptions(attention, pooling, normalize, fullAttentionUpTo, precision, packed, int8Weights);
  }

  /** How local (sliding-window) layers are evaluated. */
  public enum AttentionMode {
    BLOCKED,
    FULL;

    /** Parses {@code blocked} / {@code full}. */
    public static AttentionMode parse(String s) {
      return switch (s) {
        case "blocked" -> BLOCKED;
        case "full" -> FULL;
        default -> throw new IllegalArgumentException("attention must be blocked or full, got \"" + s + "\"");
      };
    }
  }

  /** A short stable description, part of the compile-cache key. */
  public String key() {
    return attention.name().toLowerCase(Locale.ROOT) + "-"
        + (pooling == null ? "unpooled" : pooling.name().toLowerCase(Locale.ROOT)) + (normalize ? "-l2" : "")
        + (attention == AttentionMode.BLOCKED && fullAttentionUpTo > 0 ? "-full" + fullAttentionUpTo : "")
        + (precision == Precision.FP32 ? "" : "-" + precision.name().toLowerCase(Locale.ROOT))
        + (precision == Precision.INT8 ? int8Weights.key() : "")
        + (packTokens ? "-packed" : "");
  }
}
