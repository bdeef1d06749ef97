package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.onnx.schema.Onnx.TensorProto;
import dev.modernbert.inference.reference.ReferenceEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One int8 linear layer as ONNX Runtime runs it equals the plain-Java int8 arithmetic of
 * {@link ReferenceEncoder#int8Linear} bit for bit: the integer products are exact (7-bit weights never saturate
 * the CPU's int16 pair sums) and the float steps around them are the same operations in the same order.
 */
class Int8LinearTest {
  private static final int IN = 384;
  private static final int OUT = 96;

  @TempDir Path dir;

  @Test
  void graphEqualsJavaInt8ArithmeticBitForBit() throws Exception {
    Random random = new Random(42);
    float[] a = new float[OUT * IN];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (random.nextGaussian() * (i % IN == 7 ? 0.5 : 0.02));
    }
    for (int k = 0; k < IN; k++) {
      a[5 * IN + k] = 0;
    }
    int tokens = 6;
    float[] x = new float[tokens * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * (i % 97 == 0 ? 30 : 1));
    }
    for (int k = 0; k < IN; k++) {
      x[4 * IN + k] = 0;
    }
    float[] graph = run(a, x, tokens);
    double[][] rows = new double[tokens][IN];
    for (int t = 0; t < tokens; t++) {
      for (int k = 0; k < IN; k++) {
        rows[t][k] = x[t * IN + k];
      }
    }
    double[][] expected = ReferenceEncoder.int8Linear(rows, a, null, OUT, IN);
    for (int t = 0; t < tokens; t++) {
      for (int o = 0; o < OUT; o++) {
        assertEquals((float) expected[t][o], graph[t * OUT + o], 0f, "token " + t + " output " + o);
      }
    }
  }

  @Test
  void weightsQuantizePerOutputChannelTo63Levels() {
    float[] w = {0.25f, -2f, 0f, -1f, 0.5f, 0f};
    Int8Linear.ChannelWeights q = Int8Linear.quantizeColumns(w, 2, 3);
    assertArrayEquals(new float[] {1f / 63, 2f / 63, 1f}, q.scales());
    assertArrayEquals(new byte[] {16, -63, 0, -63, 16, 0}, q.values());
    Random random = new Random(1);
    float[] big = new float[64 * 32];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) random.nextGaussian();
    }
    for (byte v : Int8Linear.quantizeColumns(big, 64, 32).values()) {
      assertTrue(Math.abs(v) <= Int8Linear.WEIGHT_LEVELS, "level " + v);
    }
  }

  /** {@code x} [1, tokens, IN] through the int8 layer for {@code a} [OUT, IN]. */
  private float[] run(float[] a, float[] x, int tokens) throws Exception {
    float[] t = new float[IN * OUT];
    for (int o = 0; o < OUT; o++) {
      for (int k = 0; k < IN; k++) {
        t[k * OUT + o] = a[o * IN + k];
      }
    }
    ByteArrayOutputStream external = new ByteArrayOutputStream();
    OnnxGraphBuilder g = new OnnxGraphBuilder("int8", new ExternalData("weights.bin", external));
    String in = g.input("x", TensorProto.DataType.FLOAT, 1, "tokens", IN);
    String y = Int8Linear.matMul(g, Int8Linear.quantizeRows(g, in, IN), "w", t, IN, OUT);
    g.output(y, "y", TensorProto.DataType.FLOAT, 1, "tokens", OUT);
    Files.write(dir.resolve("weights.bin"), external.toByteArray());
    Path model = dir.resolve("int8.onnx");
    Files.write(model, g.build("test").toByteArray());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toString());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, tokens, IN});
        OrtSession.Result r = session.run(Map.of("x", input))) {
      float[] out = new float[tokens * OUT];
      ((OnnxTensor) r.get(0)).getFloatBuffer().get(out);
      return out;
    }
  }
}
