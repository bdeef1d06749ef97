package dev.modernbert.inference.stats;

import java.util.Arrays;

/** The most recent latencies (a fixed ring of samples) and their percentiles. Thread-safe. */
public final class LatencyRecorder {
  private final double[] ring;
  private long count;

  public LatencyRecorder(int capacity) {
    this.ring = new double[capacity];
  }

  /** Records one latency in milliseconds. */
  public synchronized void record(double millis) {
    ring[(int) (count++ % ring.length)] = millis;
  }

  /** The {@code p}-th percentile (0–100) of the retained samples, or 0 when there are none. */
  public synchronized double percentile(double p) {
    int n = (int) Math.min(count, ring.length);
    if (n == 0) {
      return 0;
    }
    return percentile(Arrays.copyOf(ring, n), p);
  }

  /** The nearest-rank {@code p}-th percentile (0–100) of non-empty {@code values}. */
  public static double percentile(double[] values, double p) {
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))];
  }

  public synchronized long count() {
    return count;
  }
}
