package dev.modernbert.tools.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.onnx.ExternalData;
import dev.modernbert.inference.onnx.OnnxGraphBuilder;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/** This machine's ONNX Runtime fp32 MatMul throughput on one large GEMM: the roofline the model is judged against. */
public final class MatMulProbe {
  private MatMulProbe() {}

  /**
   * Median GFLOP/s of an n×n by n×n MatMul over {@code runs} runs (after one warm-up), on {@code threads} threads
   * (0: ONNX Runtime's default, one per core).
   */
  public static double gflops(int n, int runs, int threads) throws Exception {
    OnnxGraphBuilder g = new OnnxGraphBuilder("matmul", new ExternalData("unused", new ByteArrayOutputStream()));
    String a = g.input("a", TensorProto.DataType.FLOAT, n, n);
    String b = g.input("b", TensorProto.DataType.FLOAT, n, n);
    g.output(g.op("MatMul", a, b), "c", TensorProto.DataType.FLOAT, n, n);
    byte[] model = g.build("matmul-probe").toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] values = new float[n * n];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) r.nextDouble(-1, 1);
    }
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      if (threads > 0) {
        o.setIntraOpNumThreads(threads);
      }
      try (OrtSession s = env.createSession(model, o);
          OnnxTensor ta = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, n});
          OnnxTensor tb = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, n})) {
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
}
