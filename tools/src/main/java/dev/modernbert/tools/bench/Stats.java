package dev.modernbert.tools.bench;

import java.util.Arrays;

/** Small statistics for benchmark reports. */
public final class Stats {
  private Stats() {}

  /** The median of {@code values} (mean of the middle two for even counts). */
  public static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * The median of {@code values} that is one of them: of an even count, the larger middle value. For reports whose
   * median must be a real measurement (a whole round), and for what is compared with one.
   */
  public static double upperMedian(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
