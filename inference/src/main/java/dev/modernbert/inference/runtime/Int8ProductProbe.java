package dev.modernbert.inference.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.onnx.ExternalData;
import dev.modernbert.inference.onnx.Int8Weights;
import dev.modernbert.inference.onnx.OnnxGraphBuilder;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The widest {@link Int8Weights} this CPU multiplies exactly, found by asking ONNX Runtime, not by reading CPU
 * flags: one uint8×int8 product of the kind the int8 graph runs, whose every pair of products (255·127 twice)
 * overflows int16. Kernels that accumulate in int32 return it exactly, and then 8-bit weights are safe; kernels
 * that add pairs into int16 saturate, and then weights keep 7 bits. Runs once per process.
 */
public final class Int8ProductProbe {
  private static final Logger LOG = Logger.getLogger(Int8ProductProbe.class.getName());
  private static final int ROWS = 4;
  /** 64×16 int8 weights stay inline in the graph ({@link ExternalData#INLINE_LIMIT}), so no file is involved. */
  private static final int DEPTH = 64;
  private static final int COLUMNS = 16;
  private static final int ACTIVATION = 255;
  private static final int WEIGHT = 127;
  private static final int ZERO_POINT = 128;

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

  /** Whether ONNX Runtime's uint8×int8 product of 8-bit operands comes back exact on this CPU. */
  static boolean eightBitProductIsExact() throws OrtException {
    OnnxGraphBuilder g = new OnnxGraphBuilder("int8_probe", new ExternalData("unused", new ByteArrayOutputStream()));
    String x = g.input("x", TensorProto.DataType.UINT8, ROWS, DEPTH);
    byte[] w = new byte[DEPTH * COLUMNS];
    Arrays.fill(w, (byte) WEIGHT);
    float[] ones = new float[COLUMNS];
    Arrays.fill(ones, 1f);
    String y = g.contrib("MatMulIntegerToFloat", new String[] {x,
        g.bytes("w", TensorProto.DataType.INT8, w, DEPTH, COLUMNS), g.scalar(1f), g.floats("s", ones, COLUMNS),
        g.uint8Scalar(ZERO_POINT)}, Map.of());
    g.output(y, "y", TensorProto.DataType.FLOAT, ROWS, COLUMNS);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ByteBuffer values = ByteBuffer.allocateDirect(ROWS * DEPTH);
    while (values.hasRemaining()) {
      values.put((byte) ACTIVATION);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(g.build("int8-probe").toByteArray(), options);
          OnnxTensor input = OnnxTensor.createTensor(env, values.flip(), new long[] {ROWS, DEPTH},
              OnnxJavaType.UINT8);
          OrtSession.Result result = session.run(Map.of("x", input))) {
        float expected = (float) DEPTH * (ACTIVATION - ZERO_POINT) * WEIGHT;
        for (float[] row : (float[][]) result.get(0).getValue()) {
          for (float v : row) {
            if (v != expected) {
              return false;
            }
          }
        }
        return true;
      }
    }
  }
}
