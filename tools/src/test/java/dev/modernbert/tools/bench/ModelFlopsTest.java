package dev.modernbert.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modernbert.inference.model.ModernBertConfig;
import dev.modernbert.inference.random.ModelShape;
import org.junit.jupiter.api.Test;

class ModelFlopsTest {
  // 30m: d 256, I 1024, 10 layers, global every 3rd (0, 3, 6, 9), window 128 (129 keys per query)
  private static final ModernBertConfig M30 = ModernBertConfig.parse(ModelShape.M30.configJson(false));
  private static final double LINEAR = 8.0 * 256 * 256 + 6.0 * 256 * 1024;

  @Test
  void aTextWithinTheWindowScoresEveryKeyOnEveryLayer() {
    assertEquals(100 * (10 * LINEAR + 10 * 4.0 * 256 * 100), ModelFlops.ofText(M30, 100), 1e-6);
  }

  @Test
  void aLongerTextScoresOnlyTheWindowOnLocalLayers() {
    double expected = 1000 * (10 * LINEAR + 4 * 4.0 * 256 * 1000 + 6 * 4.0 * 256 * 129);
    assertEquals(expected, ModelFlops.ofText(M30, 1000), 1e-6);
  }
}
