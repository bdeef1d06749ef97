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
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The widest {@link Int8Weights} this CPU multiplies exactly, found by asking ONNX Runtime, not by reading CPU
 * flags: one int8 linear layer as the int8 graph builds it ({@link Int8LinearModel}), all ones in and all ones
 * as signed 8-bit weights, so every activation quantizes to 255 and every weight to 127, and every pair of
 * products (255·127 twice) overflows int16. Kernels that accumulate in int32 return the layer's sum, and then
 * 8-bit weights are safe; kernels that add pairs into int16 saturate, and then weights keep 7 bits. Runs once per
 * process.
 */
public final class Int8ProductProbe {
  private static final Logger LOG = Logger.getLogger(Int8ProductProbe.class.getName());
  private static final int TOKENS = 4;
  /** 64×16 int8 weights stay inline in the graph ({@link ExternalData#INLINE_LIMIT}), so no file is involved. */
  private static final int DEPTH = 64;
  private static final int COLUMNS = 16;
  /** Far below what one saturated pair costs (about 2 of the expected 64), far above float rounding. */
  private static final float TOLERANCE = 1e-3f;

  private Int8ProductProbe() {}

  /** The result, probed on first use. */
  private static final class Probed {
    static final Int8Weights WEIGHTS = probe();
  }

  /** {@link Int8Weights#SIGNED_8_BIT} where this CPU's product is exact with them, else {@code SIGNED_7_BIT}. */
  public static Int8Weights exactWeights() {
    return Probed.WEIGHTS;
  }

  private static Int8Weights probe() {
    try {
      return eightBitProductIsExact() ? Int8Weights.SIGNED_8_BIT : Int8Weights.SIGNED_7_BIT;
    } catch (OrtException e) {
      LOG.log(Level.WARNING, "int8 product probe failed; int8 weights keep 7 bits", e);
      return Int8Weights.SIGNED_7_BIT;
    }
  }

  /** Whether ONNX Runtime's int8 layer with signed 8-bit weights sums all-ones inputs exactly on this CPU. */
  static boolean eightBitProductIsExact() throws OrtException {
    float[] ones = new float[DEPTH * COLUMNS];
    Arrays.fill(ones, 1f);
    byte[] model = Int8LinearModel.build(ones, DEPTH, COLUMNS, Int8Weights.SIGNED_8_BIT,
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
        while (y.hasRemaining()) {
          if (Math.abs(y.get() - DEPTH) > TOLERANCE) {
            return false;
          }
        }
        return true;
      }
    }
  }
}
