package dev.modernbert.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modernbert.inference.onnx.Int8Weights;
import org.junit.jupiter.api.Test;

/**
 * The probe runs its layer on this CPU without failing (a failure would quietly fall back to 7 bits), and the
 * width it reports is its layer's answer. Whether that answer is right is {@code Int8LinearTest}'s to check.
 */
class Int8ProductProbeTest {
  @Test
  void theReportedWidthIsTheProbedLayersAnswer() throws Exception {
    boolean exact = Int8ProductProbe.eightBitProductIsExact();
    assertEquals(exact ? Int8Weights.SIGNED_8_BIT : Int8Weights.SIGNED_7_BIT, Int8ProductProbe.exactWeights());
  }
}
