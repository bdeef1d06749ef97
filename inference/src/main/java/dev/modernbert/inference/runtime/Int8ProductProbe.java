package dev.modernbert.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.onnx.ExternalData;
import dev.modernbert.inference.onnx.Int8LinearModel;
import dev.modernbert.inference.onnx.Int8Weights;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The widest {@link Int8Weights} this CPU multiplies exactly, found by asking ONNX Runtime, not by reading CPU
 * flags: one int8 linear layer as the int8 graph builds it ({@link Int8LinearModel}), all ones in, so every
 * activation quantizes to 255, with weights at the limit of a format ({@link #limitWeights}). Plain 8-bit weights
 * are all 127, so every pair of products (255·127 twice) overflows int16: kernels that accumulate in int32 return
 * the layer's sum, those that add pairs into int16 saturate. Paired 8-bit weights repeat 127, 1, 1, 127 along the
 * input axis: the pairs (2j, 2j+1) sum to 128 (255·128 fits int16) and any other pairing to 2 and 254, which
 * overflows. The first format whose layer returns its sum wins; 7-bit weights never overflow. Runs once per process.
 */
public final class Int8ProductProbe {
  private static final Logger LOG = Logger.getLogger(Int8ProductProbe.class.getName());
  private static final int TOKENS = 4;
  /** 64×16 int8 weights stay inline in the graph ({@link ExternalData#INLINE_LIMIT}), so no file is involved. */
  private static final int DEPTH = 64;
  private static final int COLUMNS = 16;
  /** Relative: far below what one saturated pair costs (over 1% of the sum), far above float rounding. */
  private static final double TOLERANCE = 1e-5;
  /** Paired weights along the input axis at their limit: pairs (2j, 2j+1) sum to 128, pairs (2j+1, 2j+2) do not. */
  private static final float[] PAIRED_PATTERN = {127, 1, 1, 127};

  private Int8ProductProbe() {}

  /** The result, probed on first use. */
  private static final class Probed {
    static final Int8Weights WEIGHTS = probe();
  }

  /**
   * {@link Int8Weights#SIGNED_8_BIT} where this CPU's product is exact with them, else {@code PAIRED_8_BIT} where
   * that is, else {@code SIGNED_7_BIT}.
   */
  public static Int8Weights exactWeights() {
    return Probed.WEIGHTS;
  }

  private static Int8Weights probe() {
    try {
      for (Int8Weights format : List.of(Int8Weights.SIGNED_8_BIT, Int8Weights.PAIRED_8_BIT)) {
        if (productIsExact(format)) {
          return format;
        }
      }
    } catch (OrtException | RuntimeException e) {
      LOG.log(Level.WARNING, "int8 product probe failed; int8 weights keep 7 bits", e);
    }
    return Int8Weights.SIGNED_7_BIT;
  }

  /**
   * Weights W [in, out] row-major at the limit of {@code format} (plain or paired 8 bits), which quantize to
   * themselves times one scale per column: all ones for plain 8 bits; for paired, the pattern 127, 1, 1, 127
   * down each column, negated in odd columns.
   */
  public static float[] limitWeights(Int8Weights format, int in, int out) {
    float[] w = new float[in * out];
    for (int k = 0; k < in; k++) {
      for (int o = 0; o < out; o++) {
        float magnitude = format == Int8Weights.PAIRED_8_BIT ? PAIRED_PATTERN[k % PAIRED_PATTERN.length] : 1f;
        w[k * out + o] = o % 2 == 0 ? magnitude : -magnitude;
      }
    }
    return w;
  }

  /**
   * Whether ONNX Runtime's int8 layer sums all-ones inputs exactly on this CPU with weights at {@code format}'s
   * limit.
   */
  static boolean productIsExact(Int8Weights format) throws OrtException {
    float[] w = limitWeights(format, DEPTH, COLUMNS);
    byte[] model = Int8LinearModel.build(w, DEPTH, COLUMNS, format,
        new ExternalData("unused", new ByteArrayOutputStream())).toByteArray();
    float[] x = new float[TOKENS * DEPTH];
    Arrays.fill(x, 1f);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options);
          OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, TOKENS, DEPTH});
          OrtSession.Result result = session.run(Map.of("x", input))) {
        FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
        for (int i = 0; y.hasRemaining(); i++) {
          double sum = columnSum(w, i % COLUMNS);
          if (Math.abs(y.get() - sum) > TOLERANCE * Math.abs(sum)) {
            return false;
          }
        }
        return true;
      }
    }
  }

  private static double columnSum(float[] w, int column) {
    double sum = 0;
    for (int k = 0; k < DEPTH; k++) {
      sum += w[k * COLUMNS + column];
    }
    return sum;
  }
}
