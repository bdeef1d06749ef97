package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modernbert.inference.reference.ReferenceEncoder;
import dev.modernbert.inference.runtime.Int8ProductProbe;
import java.io.ByteArrayOutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One int8 linear layer as ONNX Runtime runs it equals the plain-Java int8 arithmetic of
 * {@link ReferenceEncoder#int8Linear} bit for bit, in every weight format this CPU multiplies exactly: the integer
 * products are exact (7-bit weights never saturate the int16 pair sums of CPUs without VNNI; unsigned 8-bit ones
 * are widened; paired 8-bit ones only where {@link Int8ProductProbe} finds the pairs it expects, plain 8-bit ones
 * only where it finds int32 sums) and the float steps around them are the same operations in the same order.
 */
class Int8LinearTest {
  private static final int IN = 384;
  private static final int OUT = 96;

  @TempDir Path dir;

  /** The formats this CPU multiplies exactly. */
  static List<Int8Weights> exactFormats() {
    return Arrays.stream(Int8Weights.values()).filter(Int8LinearTest::probedExact).toList();
  }

  /** What the probe's answer implies: plain 8 bits are exact only where it says so, paired ones unless it says 7. */
  private static boolean probedExact(Int8Weights format) {
    Int8Weights widest = Int8ProductProbe.exactWeights();
    return switch (format) {
      case SIGNED_8_BIT -> widest == Int8Weights.SIGNED_8_BIT;
      case PAIRED_8_BIT -> widest != Int8Weights.SIGNED_7_BIT;
      case SIGNED_7_BIT, UNSIGNED_8_BIT -> true;
    };
  }

  @ParameterizedTest
  @MethodSource("exactFormats")
  void graphEqualsJavaInt8ArithmeticBitForBit(Int8Weights format) throws Exception {
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
    float[] graph = run(a, x, tokens, format);
    double[][] expected = ReferenceEncoder.int8Linear(rows(x, tokens), a, null, OUT, IN, format);
    for (int t = 0; t < tokens; t++) {
      for (int o = 0; o < OUT; o++) {
        assertEquals((float) expected[t][o], graph[t * OUT + o], 0f, "token " + t + " output " + o);
      }
    }
  }

  @Test
  void weightsQuantizePerOutputChannelToTheFormatsLevels() {
    float[] w = {0.25f, -2f, 0f, -1f, 0.5f, 0f};
    Int8Linear.ChannelWeights q = Int8Linear.quantizeColumns(w, 2, 3, Int8Weights.SIGNED_7_BIT);
    assertArrayEquals(new float[] {1f / 63, 2f / 63, 1f}, q.scales());
    assertArrayEquals(new byte[] {16, -63, 0, -63, 16, 0}, q.values());
    Int8Linear.ChannelWeights q8 = Int8Linear.quantizeColumns(w, 2, 3, Int8Weights.SIGNED_8_BIT);
    assertArrayEquals(new float[] {1f / 127, 2f / 127, 1f}, q8.scales());
    assertArrayEquals(new byte[] {32, -127, 0, -127, 32, 0}, q8.values());
    Random random = new Random(1);
    float[] big = new float[64 * 32];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) random.nextGaussian();
    }
    for (Int8Weights format : Int8Weights.values()) {
      byte[] values = Int8Linear.quantizeColumns(big, 64, 32, format).values();
      int largest = 0;
      int largestPair = 0;
      for (int i = 0; i < values.length; i++) {
        largest = Math.max(largest, Math.abs(values[i]));
        if (i / 32 % 2 == 1) {
          largestPair = Math.max(largestPair, Math.abs(values[i - 32] + values[i]));
        }
      }
      boolean paired = format == Int8Weights.PAIRED_8_BIT;
      assertEquals(paired ? format.pairLimit() : format.levels(), paired ? largestPair : largest,
          format.description());
      assertTrue(largest <= format.levels() && largestPair <= format.pairLimit(), format.description());
    }
  }

  @Test
  void pairedWeightsTakeTheCoarserScaleAndKeepEveryPairWithinItsLimit() {
    Int8Linear.ChannelWeights q = Int8Linear.quantizeColumns(new float[] {100f, -0.5f, 100f, 2f}, 2, 2,
        Int8Weights.PAIRED_8_BIT);
    assertArrayEquals(new float[] {200f / 128, 2f / 127}, q.scales());
    assertArrayEquals(new byte[] {64, -32, 64, 127}, q.values());
    // exactly at the limit, float rounding takes these two to 63 + 66 = 129: the larger level yields one
    Int8Linear.ChannelWeights edge = Int8Linear.quantizeColumns(new float[] {62.877098f, 65.89519f}, 2, 1,
        Int8Weights.PAIRED_8_BIT);
    assertArrayEquals(new byte[] {63, 65}, edge.values());
  }

  /**
   * The probe's answer holds at this layer's size: weights at the limit of plain and of paired 8 bits give this
   * CPU's exact product where it says so, and where it says not, they come back wrong (so the narrower width is
   * needed, not merely chosen).
   */
  @ParameterizedTest
  @EnumSource(value = Int8Weights.class, names = {"SIGNED_8_BIT", "PAIRED_8_BIT"})
  void eightBitWeightsAreExactExactlyWhereTheProbeSays(Int8Weights format) throws Exception {
    int tokens = 4;
    float[] limit = Int8ProductProbe.limitWeights(format, IN, OUT);
    float[] a = new float[OUT * IN];
    for (int o = 0; o < OUT; o++) {
      for (int k = 0; k < IN; k++) {
        a[o * IN + k] = limit[k * OUT + o];
      }
    }
    float[] x = new float[tokens * IN];
    Arrays.fill(x, 1f);
    float[] graph = run(a, x, tokens, format);
    double[][] expected = ReferenceEncoder.int8Linear(rows(x, tokens), a, null, OUT, IN, format);
    boolean exact = true;
    for (int t = 0; t < tokens; t++) {
      for (int o = 0; o < OUT; o++) {
        exact &= graph[t * OUT + o] == (float) expected[t][o];
      }
    }
    assertEquals(probedExact(format), exact,
        "probe " + Int8ProductProbe.exactWeights().description() + ", first output " + graph[0]);
  }

  /** {@code x} [tokens·IN] as rows. */
  private static double[][] rows(float[] x, int tokens) {
    double[][] rows = new double[tokens][IN];
    for (int t = 0; t < tokens; t++) {
      for (int k = 0; k < IN; k++) {
        rows[t][k] = x[t * IN + k];
      }
    }
    return rows;
  }

  /** {@code x} [1, tokens, IN] through the int8 layer for {@code a} [OUT, IN], its weights stored as {@code format}. */
  private float[] run(float[] a, float[] x, int tokens, Int8Weights format) throws Exception {
    float[] t = new float[IN * OUT];
    for (int o = 0; o < OUT; o++) {
      for (int k = 0; k < IN; k++) {
        t[k * OUT + o] = a[o * IN + k];
      }
    }
    ByteArrayOutputStream external = new ByteArrayOutputStream();
    byte[] graph = Int8LinearModel.build(t, IN, OUT, format, new ExternalData("weights.bin", external)).toByteArray();
    Files.write(dir.resolve("weights.bin"), external.toByteArray());
    Path model = dir.resolve("int8.onnx");
    Files.write(model, graph);
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
