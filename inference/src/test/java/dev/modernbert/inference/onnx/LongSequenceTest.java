package dev.modernbert.inference.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.pooling.Pooling;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.random.RandomTokens;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 30m-shape model embeds a full 8192-token sequence in this process; both attention modes agree. */
class LongSequenceTest {
  @TempDir Path cache;

  @Test
  void embedsEightThousandTokensAndFullAttentionAgrees() {
    Path dir = TestModels.folder(ModelShape.M30);
    List<int[]> seq = List.of(RandomTokens.ids(8192, 99));
    float[] blocked;
    float[] full;
    EngineSettings s = EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu")).withCacheDir(cache);
    try (LoadedModel m = LoadedModel.load(dir, s)) {
      blocked = m.encoder().embeddings(seq).get(0);
    }
    try (LoadedModel m = LoadedModel.load(dir, s.withAttention(CompileOptions.AttentionMode.FULL))) {
      full = m.encoder().embeddings(seq).get(0);
    }
    assertEquals(256, blocked.length);
    double cos = Pooling.cosine(blocked, full);
    assertTrue(cos >= 0.99999, "blocked vs full cosine at 8192 tokens: " + cos);
  }
}
