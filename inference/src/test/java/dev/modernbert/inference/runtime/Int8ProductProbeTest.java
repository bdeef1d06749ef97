package dev.modernbert.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modernbert.inference.onnx.Int8Weights;
import org.junit.jupiter.api.Test;

/**
 * The probe runs its layers on this CPU without failing (a failure would quietly fall back to 7 bits), and the
 * width it reports is the first its layers find exact, plain 8 bits before paired. Whether those answers are right
 * is {@code Int8LinearTest}'s to check.
 */
class Int8ProductProbeTest {
  @Test
  void theReportedWidthIsTheWidestTheProbedLayersFindExact() throws Exception {
    Int8Weights expected = Int8ProductProbe.productIsExact(Int8Weights.SIGNED_8_BIT) ? Int8Weights.SIGNED_8_BIT
        : Int8ProductProbe.productIsExact(Int8Weights.PAIRED_8_BIT) ? Int8Weights.PAIRED_8_BIT
        : Int8Weights.SIGNED_7_BIT;
    assertEquals(expected, Int8ProductProbe.exactWeights());
  }
}
