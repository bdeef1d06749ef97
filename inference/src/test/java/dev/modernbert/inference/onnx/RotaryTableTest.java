package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The RoPE tables against MODERNBERT.md §3.5 written out by hand: the reference encoder and the compiled graph both
 * read these tables, so the exactness test cannot catch a wrong one and this test must.
 */
class RotaryTableTest {
  private static final int HEAD_DIM = 64;

  @Test
  void entriesAreCosAndSinOfPositionTimesInverseFrequency() {
    double theta = 160_000;
    RotaryTable table = new RotaryTable(theta, HEAD_DIM, 300);
    float[] cos = table.cos();
    float[] sin = table.sin();
    assertEquals(300 * HEAD_DIM / 2, cos.length);
    for (int p : new int[] {0, 1, 7, 299}) {
      for (int j : new int[] {0, 1, 15, 31}) {
        float invFreq = (float) Math.pow(theta, -2.0 * j / HEAD_DIM);
        float angle = p * invFreq;
        assertEquals((float) Math.cos(angle), cos[p * 32 + j], 1e-7, "cos p=" + p + " j=" + j);
        assertEquals((float) Math.sin(angle), sin[p * 32 + j], 1e-7, "sin p=" + p + " j=" + j);
      }
    }
    // j = 0 turns by one radian per position; position 0 does not turn at all
    assertEquals((float) Math.cos(7), cos[7 * 32], 1e-7);
    assertArrayEquals(new float[32], Arrays.copyOf(sin, 32));
  }

  @Test
  void rotationIsRotateHalfNotInterleaved() {
    RotaryTable table = new RotaryTable(10_000, HEAD_DIM, 4);
    double[] x = new double[HEAD_DIM];
    x[0] = 1; // first half: pairs with x[32]
    x[32 + 1] = 2; // second half of pair j = 1
    table.rotate(x, 0, 3);
    double a0 = 3.0;
    double a1 = 3.0 * Math.pow(10_000, -2.0 / HEAD_DIM);
    assertEquals(Math.cos(a0), x[0], 1e-6);
    assertEquals(Math.sin(a0), x[32], 1e-6, "x'_{c+D/2} = x_{c+D/2}·cos + x_c·sin");
    assertEquals(-2 * Math.sin(a1), x[1], 1e-6, "x'_c = x_c·cos − x_{c+D/2}·sin");
    assertEquals(2 * Math.cos(a1), x[33], 1e-6);
    assertEquals(0, x[2], 0, "other pairs untouched");
  }
}
