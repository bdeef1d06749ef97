package dev.modernbert.inference.onnx;

import java.util.Map;

/**
 * Linear layers in int8, emitted as plain ONNX operators: {@code y = (q(x)·W₈)·w_scale·x_scale}.
 *
 * <ul>
 *   <li>Weights: symmetric, one scale per output channel, in the {@link Int8Weights} format this CPU multiplies
 *       exactly (7 bits, 8 bits, or 8 bits in limited pairs), which is what lets the graph be checked against a
 *       plain-Java reference.
 *   <li>Activations: one scale per token ({@code max|x_t| / 127}), quantized at run time to uint8 with zero point
 *       128. A per-tensor scale would make a text's vector depend on what else is in its batch.
 * </ul>
 *
 * Everything around the linear layers (embeddings, norms, RoPE, attention, GELU, pooling) stays fp32.
 */
final class Int8Linear {
  /** Largest activation magnitude after quantization (around the zero point). */
  static final int ACTIVATION_LEVELS = 127;
  /** The uint8 zero point of quantized activations. */
  static final int ZERO_POINT = 128;
  /** Keeps an all-zero row's scale positive, so it quantizes to zeros rather than NaN. */
  static final float MIN_ABS_MAX = Float.MIN_NORMAL;

  private Int8Linear() {}

  /**
   * A tensor [..., in] quantized per token, flattened to tokens: uint8 {@code values} [T, in], fp32 {@code scales}
   * [T, 1], and {@code leadingShape}, its shape without the last axis, to shape results back.
   */
  record QuantizedRows(String values, String scales, String leadingShape) {}

  /** Weights quantized per output channel: {@code values} signed levels [in, out] row-major, {@code scales} [out]. */
  record ChannelWeights(byte[] values, float[] scales) {}

  /**
   * {@code x} [..., in] (fp32) quantized per token (last axis): one QuantizeLinear along the token axis of its
   * [T, in] view, which rounds half to even and adds the zero point as the separate operators would. It is ONNX
   * Runtime's contrib QuantizeLinear, which takes an axis whatever the graph's opset (exported graphs may predate
   * opset 13, where the standard one gained it).
   */
  static QuantizedRows quantizeRows(OnnxGraphBuilder g, String x, int in) {
    String rows = g.op("Reshape", x, g.ints(-1, in));
    String absMax = g.reduceMax(g.op("Abs", rows), -1);
    String scales = g.op("Div", g.op("Max", absMax, g.scalar(MIN_ABS_MAX)), g.scalar(ACTIVATION_LEVELS));
    String perToken = g.op("Reshape", scales, g.ints(-1));
    String zeroPoints = g.op("Expand", zeroPoint(g), g.op("Shape", perToken));
    String values = g.contrib("QuantizeLinear", new String[] {rows, perToken, zeroPoints}, Map.of("axis", 0));
    String leading = g.op("Slice", g.op("Shape", x), g.ints(0), g.ints(-1));
    return new QuantizedRows(values, scales, leading);
  }

  /**
   * {@code x·W} in fp32 [..., out], for {@code weightT} = W [in, out] row-major, named {@code name}, its weights
   * stored as {@code format}: the {@link #product} and the token scales.
   */
  static String matMul(OnnxGraphBuilder g, QuantizedRows x, String name, float[] weightT, int in, int out,
      Int8Weights format) {
    String product = product(g, x.values(), name, weightT, in, out, format);
    String shape = g.op("Concat", new String[] {x.leadingShape(), g.ints(out)}, Map.of("axis", 0));
    return g.op("Reshape", g.op("Mul", product, x.scales()), shape);
  }

  /**
   * Quantized rows {@code values} (uint8 [T, in], zero point 128) times W, for {@code weightT} = W [in, out]
   * row-major stored as {@code format}: one MatMulIntegerToFloat (integer product, times the channel scales), fp32
   * [T, out] still to be scaled per token.
   */
  static String product(OnnxGraphBuilder g, String values, String name, float[] weightT, int in, int out,
      Int8Weights format) {
    ChannelWeights w = quantizeColumns(weightT, in, out, format);
    String weights = g.bytes(name, format.type(), stored(w.values(), format), in, out);
    String scales = g.floats(name + ".scale", w.scales(), out);
    String[] inputs = format.unsigned()
        ? new String[] {values, weights, g.scalar(1f), scales, zeroPoint(g), zeroPoint(g)}
        : new String[] {values, weights, g.scalar(1f), scales, zeroPoint(g)};
    return g.contrib("MatMulIntegerToFloat", inputs, Map.of());
  }

  private static String zeroPoint(OnnxGraphBuilder g) {
    return g.uint8Scalar(ZERO_POINT);
  }

  /** Signed levels as {@code format} stores them: as they are, or shifted by the zero point into uint8. */
  private static byte[] stored(byte[] levels, Int8Weights format) {
    if (!format.unsigned()) {
      return levels;
    }
    byte[] shifted = new byte[levels.length];
    for (int i = 0; i < levels.length; i++) {
      shifted[i] = (byte) (levels[i] + ZERO_POINT);
    }
    return shifted;
  }

  /**
   * The columns (output channels) of {@code w} [in, out] row-major, each with its own symmetric scale, to levels
   * in [−levels, levels] whose pairs along the input axis keep within {@code format}'s {@link
   * Int8Weights#pairLimit}.
   */
  static ChannelWeights quantizeColumns(float[] w, int in, int out, Int8Weights format) {
    float[] scales = channelScales(w, in, out, format);
    int levels = format.levels();
    byte[] values = new byte[in * out];
    for (int k = 0; k < in; k++) {
      for (int o = 0; o < out; o++) {
        double level = Math.rint(w[k * out + o] / scales[o]);
        values[k * out + o] = (byte) Math.max(-levels, Math.min(levels, level));
      }
    }
    keepPairsWithinLimit(values, in, out, format.pairLimit());
    return new ChannelWeights(values, scales);
  }

  /**
   * Per output channel, whichever is coarser: its largest magnitude over the levels, or its largest pair sum
   * (input positions 2j and 2j+1) over the pair limit; 1 for an all-zero channel.
   */
  private static float[] channelScales(float[] w, int in, int out, Int8Weights format) {
    float[] absMax = new float[out];
    float[] pairMax = new float[out];
    for (int k = 0; k < in; k++) {
      for (int o = 0; o < out; o++) {
        absMax[o] = Math.max(absMax[o], Math.abs(w[k * out + o]));
        if (k % 2 == 1) {
          pairMax[o] = Math.max(pairMax[o], Math.abs(w[(k - 1) * out + o] + w[k * out + o]));
        }
      }
    }
    float[] scales = new float[out];
    for (int o = 0; o < out; o++) {
      scales[o] = absMax[o] == 0 ? 1 : Math.max(absMax[o] / format.levels(), pairMax[o] / format.pairLimit());
    }
    return scales;
  }

  /** Rounding can carry a pair one level past its limit (by float error at the limit); the larger level yields. */
  private static void keepPairsWithinLimit(byte[] values, int in, int out, int limit) {
    for (int k = 1; k < in; k += 2) {
      for (int o = 0; o < out; o++) {
        int first = (k - 1) * out + o;
        int second = k * out + o;
        int sum = values[first] + values[second];
        if (Math.abs(sum) > limit) {
          int larger = Math.abs(values[first]) >= Math.abs(values[second]) ? first : second;
          values[larger] -= Integer.signum(sum);
        }
      }
    }
  }
}
