package dev.modernbert.tools.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.onnx.ExternalData;
import dev.modernbert.inference.onnx.OnnxGraphBuilder;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * This machine's ONNX Runtime MatMul throughput on one large GEMM, fp32 or int8: the roofline the model is judged
 * against.
 */
public final class MatMulProbe {
  private MatMulProbe() {}

  /**
   * Median GFLOP/s of an n×n by n×n MatMul over {@code runs} runs (after one warm-up), on {@code threads} threads
   * (0: ONNX Runtime's default, one per core).
   */
  public static double gflops(int n, int runs, int threads) throws Exception {
    return gflops(n, runs, threads, false);
  }

  /** The same for the uint8 × int8 MatMulInteger that int8 linear layers run on. */
  public static double int8Gflops(int n, int runs, int threads) throws Exception {
    return gflops(n, runs, threads, true);
  }

  private static double gflops(int n, int runs, int threads, boolean int8) throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("matmul", new ExternalData("unused", new ByteArrayOutputStream()));
    String a = g.input("a", int8 ? TensorProto.DataType.UINT8 : TensorProto.DataType.FLOAT, n, n);
    String b = g.input("b", int8 ? TensorProto.DataType.INT8 : TensorProto.DataType.FLOAT, n, n);
    g.output(g.op(int8 ? "MatMulInteger" : "MatMul", a, b), "c",
        int8 ? TensorProto.DataType.INT32 : TensorProto.DataType.FLOAT, n, n);
    byte[] model = g.build("matmul-probe").toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        o.setIntraOpNumThreads(threads);
      }
      try (OrtSession s = env.createSession(model, o);
          OnnxTensor ta = operand(env, n, int8 ? OnnxJavaType.UINT8 : OnnxJavaType.FLOAT);
          OnnxTensor tb = operand(env, n, int8 ? OnnxJavaType.INT8 : OnnxJavaType.FLOAT)) {
        double[] seconds = new double[runs];
        for (int i = -1; i < runs; i++) {
          long t0 = System.nanoTime();
          s.run(Map.of("a", ta, "b", tb)).close();
          if (i >= 0) {
            seconds[i] = (System.nanoTime() - t0) / 1e9;
          }
        }
        return 2.0 * n * n * n / Stats.median(seconds) / 1e9;
      }
    }
  }

  /** An n×n operand of random values: floats in [−1, 1), or bytes (7-bit for INT8, as the int8 weights are). */
  private static OnnxTensor operand(OrtEnvironment env, int n, OnnxJavaType type) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    long[] shape = {n, n};
    if (type == OnnxJavaType.FLOAT) {
      float[] values = new float[n * n];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) r.nextDouble(-1, 1);
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }
    ByteBuffer values = ByteBuffer.allocateDirect(n * n);
    for (int i = 0; i < n * n; i++) {
      values.put((byte) (type == OnnxJavaType.INT8 ? r.nextInt(-63, 64) : r.nextInt(256)));
    }
    return OnnxTensor.createTensor(env, values.flip(), shape, type);
  }
}
