package dev.modernbert.inference.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.random.RandomCheckpointWriter;
import dev.modernbert.inference.testing.CheckpointEdits;
import dev.modernbert.inference.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint folders load in every published layout, and every inconsistency is named. */
class CheckpointTest {
  @TempDir Path dir;

  private static final Path TINY = TestModels.folder(ModelShape.TINY);

  private static ModernBertWeights load(Path folder) {
    return ModelFolder.open(folder).loadWeights();
  }

  @Test
  void layerZeroHasNoAttentionNorm() {
    ModernBertWeights w = load(TINY);
    assertNull(w.layer(0).attnNorm());
    assertNotNull(w.layer(1).attnNorm());
    assertNull(w.head(), "a bare encoder has no MLM head");
  }

  @Test
  void shardedCheckpointEqualsSingleFile() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("sharded"));
    CheckpointEdits.shard(copy);
    assertTrue(Files.exists(copy.resolve(Checkpoint.INDEX_FILE)));
    ModernBertWeights a = load(TINY);
    ModernBertWeights b = load(copy);
    assertArrayEquals(a.tokEmbeddings(), b.tokEmbeddings());
    assertArrayEquals(a.layer(3).mlpWo(), b.layer(3).mlpWo());
    assertArrayEquals(a.finalNorm(), b.finalNorm());
  }

  @Test
  void maskedLmCheckpointWithPrefixAndTiedDecoder() {
    Path mlm = TestModels.folder(new RandomCheckpointWriter.Options(ModelShape.TINY, 7, DType.F32, true));
    ModernBertWeights w = load(mlm);
    assertNotNull(w.head());
    assertSame(w.tokEmbeddings(), w.head().decoder(), "decoder.weight falls back to the embedding table");
    assertArrayEquals(load(TINY).tokEmbeddings(), w.tokEmbeddings(), "same seed, same weights, other names");
  }

  @Test
  void bf16WeightsAreWidenedExactly() {
    Path bf16 = TestModels.folder(new RandomCheckpointWriter.Options(ModelShape.TINY, 7, DType.BF16, false));
    float[] f32 = load(TINY).layer(1).wqkv();
    float[] widened = load(bf16).layer(1).wqkv();
    for (int i = 0; i < f32.length; i++) {
      assertEquals(Float.intBitsToFloat(DType.toBf16(f32[i]) << 16), widened[i], 0f);
    }
  }

  private String loadError(Path folder) {
    return assertThrows(InvalidModelException.class, () -> load(folder)).getMessage();
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("missing"));
    CheckpointEdits.rewrite(TINY.resolve("model.safetensors"), copy.resolve("model.safetensors"), n -> n,
        (n, v) -> n.equals("layers.2.mlp.Wi.weight") ? null : v);
    String msg = loadError(copy);
    assertTrue(msg.contains("layers.2.mlp.Wi.weight") && msg.contains("missing"), msg);
  }

  @Test
  void shapeDisagreeingWithConfigIsNamed() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("shape"));
    CheckpointEdits.rewrite(TINY.resolve("model.safetensors"), copy.resolve("model.safetensors"), n -> n,
        (n, v) -> n.equals("layers.1.attn.Wo.weight") ? Arrays.copyOf(v, v.length - 1) : v);
    String msg = loadError(copy);
    assertTrue(msg.contains("layers.1.attn.Wo.weight") && msg.contains("config.json implies"), msg);
  }

  @Test
  void nanInNormWeightIsNamed() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("nan"));
    CheckpointEdits.rewrite(TINY.resolve("model.safetensors"), copy.resolve("model.safetensors"), n -> n, (n, v) -> {
      if (n.equals("layers.2.mlp_norm.weight")) {
        v[5] = Float.NaN;
      }
      return v;
    });
    String msg = loadError(copy);
    assertTrue(msg.contains("layers.2.mlp_norm.weight") && msg.contains("NaN"), msg);
  }

  @Test
  void duplicateNamesWithAndWithoutPrefixAreRefused() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("dup"));
    Path extra = copy.resolve("model-00002-of-00002.safetensors");
    CheckpointEdits.rewrite(TINY.resolve("model.safetensors"), extra, n -> "model." + n,
        (n, v) -> n.equals("final_norm.weight") ? v : null);
    Files.move(copy.resolve("model.safetensors"), copy.resolve("model-00001-of-00002.safetensors"));
    Files.writeString(copy.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"final_norm.weight\":"
        + " \"model-00001-of-00002.safetensors\", \"model.final_norm.weight\": \"model-00002-of-00002.safetensors\"}}");
    assertTrue(loadError(copy).contains("also stored as"));
  }

  @Test
  void shardIndexCannotPointOutsideTheFolder() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("escape"));
    Files.writeString(copy.resolve(Checkpoint.INDEX_FILE),
        "{\"weight_map\": {\"final_norm.weight\": \"../../etc/passwd.safetensors\"}}");
    assertTrue(loadError(copy).contains("invalid shard name"));
    Files.writeString(copy.resolve(Checkpoint.INDEX_FILE),
        "{\"weight_map\": {\"final_norm.weight\": \"model-00009-of-00009.safetensors\"}}");
    assertTrue(loadError(copy).contains("is missing"));
  }

  @Test
  void missingWeightsAndConfigAreNamed() throws IOException {
    Path copy = TestModels.copy(TINY, dir.resolve("noweights"));
    Files.delete(copy.resolve("model.safetensors"));
    assertTrue(loadError(copy).contains("model.safetensors"));
    Files.delete(copy.resolve("config.json"));
    assertTrue(assertThrows(InvalidModelException.class, () -> ModelFolder.open(copy)).getMessage()
        .contains("config.json"));
  }
}
