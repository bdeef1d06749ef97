package dev.modernbert.inference.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erf against tabulated values (Abramowitz–Stegun table 7.1 / high-precision references). */
class ErfTest {
  @Test
  void matchesTabulatedValues() {
    double[][] table = {
        {0.0, 0.0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1.0, 0.8427007929497149},
        {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527}, {2.5, 0.9995930479825550},
        {3.0, 0.9999779095030014}, {3.5, 0.9999992569016276}, {4.0, 0.9999999845827421}, {6.0, 1.0}};
    for (double[] row : table) {
      assertEquals(row[1], Erf.erf(row[0]), 2e-15, "erf(" + row[0] + ")");
      assertEquals(-Erf.erf(row[0]), Erf.erf(-row[0]), 0.0, "erf is odd");
    }
  }

  @Test
  void geluIsTheExactErfForm() {
    // GELU(x) = x·Φ(x): Φ(1) = 0.8413447460685429, Φ(-3) = 0.0013498980316300946
    assertEquals(0.8413447460685429, Erf.gelu(1.0), 1e-15);
    assertEquals(-3 * 0.0013498980316300946, Erf.gelu(-3.0), 1e-14);
    // the tanh approximation differs here by ~1.5e-4; the exact form must not
    assertEquals(1.9544997361036416, Erf.gelu(2.0), 1e-15);
  }
}
