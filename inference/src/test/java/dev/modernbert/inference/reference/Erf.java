package dev.modernbert.inference.reference;

/**
 * The error function in double precision (Java has none). Below 3 it sums the all-positive series
 * {@code erf(x) = 2/√π · e^{-x²} · Σ (2x²)^n · x / (2n+1)!!}, which has no cancellation; above it uses
 * the continued fraction of {@code erfc}. Both are accurate to about 1e-15, far below fp32 resolution.
 */
public final class Erf {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
  private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);

  private Erf() {}

  /** erf(x). */
  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    double r = a < 3.0 ? series(a) : 1.0 - erfcContinuedFraction(a);
    return x < 0 ? -r : r;
  }

  /** The exact (erf) GELU: {@code 0.5·z·(1 + erf(z/√2))}. */
  public static double gelu(double z) {
    return 0.5 * z * (1.0 + erf(z * INV_SQRT2));
  }

  private static double series(double x) {
    double twoX2 = 2.0 * x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }

  private static double erfcContinuedFraction(double x) {
    if (x > 27.0) {
      return 0.0;
    }
    double f = x;
    for (int k = 80; k >= 1; k--) {
      f = x + (k * 0.5) / f;
    }
    return Math.exp(-x * x) * INV_SQRT_PI / f;
  }
}
