package dev.modernbert.tools.bench;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.model.FileTrees;
import dev.modernbert.inference.onnx.ExternalData;
import dev.modernbert.inference.onnx.Int8LinearModel;
import dev.modernbert.inference.onnx.OnnxGraphBuilder;
import dev.modernbert.inference.onnx.schema.Onnx.ModelProto;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
          OnnxTensor ta = operand(env, new long[] {n, n}, int8 ? OnnxJavaType.UINT8 : OnnxJavaType.FLOAT);
          OnnxTensor tb = operand(env, new long[] {n, n}, int8 ? OnnxJavaType.INT8 : OnnxJavaType.FLOAT)) {
        return 2.0 * n * n * n / medianSeconds(() -> s.run(Map.of("a", ta, "b", tb)).close(), runs) / 1e9;
      }
    }
  }

  /**
   * One linear layer as the model runs it, held open to be timed run by run beside the model: x [m, k] times a
   * constant weight [k, n] (prepacked by ONNX Runtime, as the model's are), by MatMul in fp32 or by the int8 graph's
   * own product ({@link Int8LinearModel#product}, weights in the width the engine uses on this CPU), without the
   * quantization of x around it.
   */
  public static final class Linear implements AutoCloseable {
    private final Path dir;
    private final OrtSession session;
    private final OnnxTensor x;

    private Linear(Path dir, OrtSession session, OnnxTensor x) {
      this.dir = dir;
      this.session = session;
      this.x = x;
    }

    /** Opens the layer on {@code threads} threads (0: ONNX Runtime's default) and runs it once to warm it. */
    public static Linear open(int m, int k, int n, boolean int8, int threads) throws Exception {
      Path dir = Files.createTempDirectory("modernbert-linear-probe");
      try {
        Path model = write(dir, m, k, n, int8);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
          // As the engine's sessions: idle threads sleep, so the probes and the models timed between them do not
          // spin against each other on the same cores.
          o.addConfigEntry("session.intra_op.allow_spinning", "0");
          if (threads > 0) {
            o.setIntraOpNumThreads(threads);
          }
          long[] shape = {m, k};
          Linear linear = new Linear(dir, env.createSession(model.toString(), o),
              operand(env, shape, int8 ? OnnxJavaType.UINT8 : OnnxJavaType.FLOAT));
          linear.seconds();
          return linear;
        }
      } catch (Exception | Error e) {
        FileTrees.delete(dir);
        throw e;
      }
    }

    /** Seconds of one run. */
    public double seconds() throws OrtException {
      long t0 = System.nanoTime();
      session.run(Map.of("x", x)).close();
      return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public void close() throws Exception {
      try (session; x) {
        FileTrees.delete(dir);
      }
    }

    private static Path write(Path dir, int m, int k, int n, boolean int8) throws IOException {
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      ExternalData external = new ExternalData("weights.bin", data);
      SplittableRandom r = new SplittableRandom(2);
      float[] w = new float[k * n];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) r.nextDouble(-1, 1);
      }
      ModelProto linear;
      if (int8) {
        linear = Int8LinearModel.product(w, k, n, Int8ProductProbe.exactWeights(), external);
      } else {
        OnnxGraphBuilder g = new OnnxGraphBuilder("linear", external);
        String x = g.input("x", TensorProto.DataType.FLOAT, m, k);
        g.output(g.op("MatMul", x, g.floats("w", w, k, n)), "y", TensorProto.DataType.FLOAT, m, n);
        linear = g.build("linear-probe");
      }
      Files.write(dir.resolve("weights.bin"), data.toByteArray());
      Path model = dir.resolve("linear.onnx");
      Files.write(model, linear.toByteArray());
      return model;
    }
  }

  /** An operation timed by {@link #medianSeconds}. */
  private interface Timed {
    void run() throws Exception;
  }

  private static double medianSeconds(Timed op, int runs) throws Exception {
    double[] seconds = new double[runs];
    for (int i = -1; i < runs; i++) {
      long t0 = System.nanoTime();
      op.run();
      if (i >= 0) {
        seconds[i] = (System.nanoTime() - t0) / 1e9;
      }
    }
    return Stats.median(seconds);
  }

  /** An operand of random values: floats in [−1, 1), or bytes (7-bit for INT8, which no CPU's kernel saturates). */
  private static OnnxTensor operand(OrtEnvironment env, long[] shape, OnnxJavaType type) throws Exception {
    SplittableRandom r = new SplittableRandom(1);
    int count = (int) (shape[0] * shape[1]);
    if (type == OnnxJavaType.FLOAT) {
      float[] values = new float[count];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) r.nextDouble(-1, 1);
      }
      return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }
    ByteBuffer values = ByteBuffer.allocateDirect(count);
    for (int i = 0; i < count; i++) {
      values.put((byte) (type == OnnxJavaType.INT8 ? r.nextInt(-63, 64) : r.nextInt(256)));
    }
    return OnnxTensor.createTensor(env, values.flip(), shape, type);
  }
}
