package dev.modernbert.inference.testing;

/** Comparisons used by the exactness tests. */
public final class Vectors {
  private Vectors() {}

  /** Largest |a − b| over all rows. */
  public static double maxAbsDiff(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("row counts differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int t = 0; t < a.length; t++) {
      for (int c = 0; c < a[t].length; c++) {
        max = Math.max(max, Math.abs(a[t][c] - b[t][c]));
      }
    }
    return max;
  }

  /** Mean |a − b| over all elements. */
  public static double meanAbsDiff(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("row counts differ: " + a.length + " vs " + b.length);
    }
    double sum = 0;
    long n = 0;
    for (int t = 0; t < a.length; t++) {
      for (int c = 0; c < a[t].length; c++) {
        sum += Math.abs(a[t][c] - b[t][c]);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }
}
