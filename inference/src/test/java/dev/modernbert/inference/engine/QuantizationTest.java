package dev.modernbert.inference.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuantizationTest {
  @Test
  void parsesItsNamesAndRefusesOthersNamingThem() {
    for (Quantization q : Quantization.values()) {
      assertEquals(q, Quantization.parse(q.id()));
    }
    assertEquals("quantization must be none or int8, got \"int4\"",
        assertThrows(IllegalArgumentException.class, () -> Quantization.parse("int4")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Quantization.parse("INT8"));
  }

  @Test
  void defaultsToNone() {
    assertEquals(Quantization.NONE, EngineSettings.defaults().quantization());
  }
}
