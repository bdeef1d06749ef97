package dev.modernbert.inference.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.testing.TestModels;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The oracle follows the window rule, the layer-type rule and the padding semantics of MODERNBERT.md §3. */
class ReferenceEncoderTest {
  private static ReferenceEncoder tiny;
  private static ReferenceEncoder m30;

  @BeforeAll
  static void load() {
    tiny = new ReferenceEncoder(ModelFolder.open(TestModels.folder(ModelShape.TINY)).loadWeights(), Pooling.MEAN);
    m30 = new ReferenceEncoder(ModelFolder.open(TestModels.folder(ModelShape.M30)).loadWeights(), Pooling.MEAN);
  }

  /** Layer {@code layer}'s output rows before and after adding noise to input row {@code changed}. */
  private static double[][][] perturb(ReferenceEncoder enc, int layer, int n, int changed) {
    double[][] h = enc.embed(RandomTokens.ids(n, 11));
    double[][] before = enc.layer(layer, h, n);
    double[][] h2 = Arrays.stream(h).map(double[]::clone).toArray(double[][]::new);
    for (int c = 0; c < h2[changed].length; c++) {
      h2[changed][c] += 0.5 * Math.sin(c + 1.0);
    }
    return new double[][][] {before, enc.layer(layer, h2, n)};
  }

  @Test
  void localLayerSeesExactlySixtyFourTokensEachSide() {
    ModernBertConfig c = ModelFolder.open(TestModels.folder(ModelShape.M30)).config();
    assertEquals(64, c.halfWindow());
    double[][][] r = perturb(m30, 1, 200, 150);
    assertArrayEquals(r[0][85], r[1][85], 0.0, "65 positions away: unchanged, exactly");
    assertArrayEquals(r[0][10], r[1][10], 0.0, "140 positions away: unchanged");
    assertNotEquals(Arrays.toString(r[0][86]), Arrays.toString(r[1][86]), "64 away: inside the inclusive window");
    assertNotEquals(Arrays.toString(r[0][199]), Arrays.toString(r[1][199]), "49 away on the other side");
  }

  @Test
  void globalLayerSeesEveryToken() {
    double[][][] r = perturb(m30, 0, 200, 150);
    assertNotEquals(Arrays.toString(r[0][10]), Arrays.toString(r[1][10]));
    double[][][] r3 = perturb(m30, 3, 200, 150);
    assertNotEquals(Arrays.toString(r3[0][10]), Arrays.toString(r3[1][10]));
  }

  @Test
  void layerTypeRuleDecidesWhichLayersAreLocal() {
    ModernBertConfig c = ModelFolder.open(TestModels.folder(ModelShape.TINY)).config();
    int w = c.halfWindow();
    for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
      double[][][] r = perturb(tiny, layer, 40, 30);
      boolean farChanged = !Arrays.equals(r[0][30 - w - 1], r[1][30 - w - 1]);
      boolean edgeChanged = !Arrays.equals(r[0][30 - w], r[1][30 - w]);
      assertEquals(layer % 3 == 0, farChanged, "layer " + layer + " global iff i % 3 == 0");
      assertTrue(edgeChanged, "layer " + layer + ": the window edge is inclusive");
    }
  }

  @Test
  void paddingDoesNotChangeAnyRealToken() {
    int[] ids = RandomTokens.ids(23, 5);
    float[][] alone = tiny.forward(ids, ids.length);
    int[] padded = Arrays.copyOf(ids, 37);
    Arrays.fill(padded, ids.length, padded.length, 3);
    float[][] inBatch = tiny.forward(padded, ids.length);
    for (int t = 0; t < ids.length; t++) {
      assertArrayEquals(alone[t], inBatch[t], 1e-6f, "token " + t);
    }
    for (float v : inBatch[30]) {
      assertTrue(Float.isFinite(v), "pad rows stay finite");
    }
  }

  @Test
  void outputIsTheFinalLayerNorm() {
    float[] gamma = ModelFolder.open(TestModels.folder(ModelShape.TINY)).loadWeights().finalNorm();
    for (float[] row : tiny.forward(RandomTokens.ids(12, 3), 12)) {
      double mean = 0;
      double sq = 0;
      for (int c = 0; c < row.length; c++) {
        double z = row[c] / gamma[c];
        mean += z;
        sq += z * z;
      }
      mean /= row.length;
      assertEquals(0.0, mean, 1e-5, "normalized rows have zero mean");
      assertEquals(1.0, sq / row.length - mean * mean, 1e-3, "and unit variance (up to ε)");
    }
  }
}
