package dev.modernbert.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modernbert.inference.random.ModelShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** config.json is read in both the transformers 4.x and 5.x schemas, and validated. */
class ModernBertConfigTest {

  @Test
  void readsTheJaSchemaAndDerivesLayerTypes() {
    ModernBertConfig c = ModernBertConfig.parse(ModelShape.M30.configJson(false));
    assertEquals(256, c.hiddenSize());
    assertEquals(64, c.headDim());
    assertEquals(64, c.halfWindow());
    assertEquals(List.of(0, 3, 6, 9), c.globalLayerIndexes());
    assertEquals(160000.0, c.ropeTheta(0));
    assertEquals(10000.0, c.ropeTheta(1));
    assertEquals(3, c.padTokenId());
    assertEquals(102400, c.vocabSize());
  }

  @Test
  void layerTypeRuleForEveryPublishedSize() {
    for (ModelShape s : new ModelShape[] {ModelShape.M30, ModelShape.M70, ModelShape.M130, ModelShape.M310}) {
      ModernBertConfig c = ModernBertConfig.parse(s.configJson(false));
      for (int i = 0; i < c.numHiddenLayers(); i++) {
        assertEquals(i % 3 == 0, c.isGlobal(i), s + " layer " + i);
      }
    }
  }

  @Test
  void readsTheTransformers5Schema() {
    ObjectNode j = ModelShape.M30.configJson(false);
    j.remove("global_rope_theta");
    j.remove("local_rope_theta");
    j.remove("global_attn_every_n_layers");
    var types = j.putArray("layer_types");
    for (int i = 0; i < 10; i++) {
      types.add(i % 2 == 0 ? "full_attention" : "sliding_attention");
    }
    ObjectNode rope = j.putObject("rope_parameters");
    rope.putObject("full_attention").put("rope_type", "default").put("rope_theta", 80000.0);
    rope.putObject("sliding_attention").put("rope_type", "default").put("rope_theta", 5000.0);
    ModernBertConfig c = ModernBertConfig.parse(j);
    assertTrue(c.isGlobal(0));
    assertFalse(c.isGlobal(1));
    assertTrue(c.isGlobal(2), "layer_types wins over the every-3rd rule");
    assertEquals(80000.0, c.ropeTheta(0));
    assertEquals(5000.0, c.ropeTheta(1));
  }

  @Test
  void nullLocalThetaFallsBackToGlobalAsInTransformers4() {
    ObjectNode j = ModelShape.M30.configJson(false);
    j.putNull("local_rope_theta");
    assertEquals(160000.0, ModernBertConfig.parse(j).ropeTheta(1));
  }

  @Test
  void refusesWhatItCannotRun() {
    ObjectNode bert = ModelShape.M30.configJson(false).put("model_type", "bert");
    assertTrue(assertThrows(InvalidModelException.class, () -> ModernBertConfig.parse(bert))
        .getMessage().contains("model_type \"bert\""));
    ObjectNode heads = ModelShape.M30.configJson(false).put("num_attention_heads", 3);
    assertTrue(assertThrows(InvalidModelException.class, () -> ModernBertConfig.parse(heads))
        .getMessage().contains("num_attention_heads"));
    ObjectNode act = ModelShape.M30.configJson(false).put("hidden_activation", "gelu_new");
    assertTrue(assertThrows(InvalidModelException.class, () -> ModernBertConfig.parse(act))
        .getMessage().contains("hidden_activation"));
    ObjectNode types = ModelShape.M30.configJson(false);
    types.putArray("layer_types").add("full_attention");
    assertTrue(assertThrows(InvalidModelException.class, () -> ModernBertConfig.parse(types))
        .getMessage().contains("layer_types"));
    ObjectNode size = ModelShape.M30.configJson(false).put("hidden_size", "big");
    assertTrue(assertThrows(InvalidModelException.class, () -> ModernBertConfig.parse(size))
        .getMessage().contains("hidden_size"));
  }
}
