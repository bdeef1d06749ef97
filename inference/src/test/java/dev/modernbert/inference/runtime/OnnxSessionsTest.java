package dev.modernbert.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device selection: CUDA requested where it cannot load falls back to CPU and says so. */
class OnnxSessionsTest {
  @TempDir Path cache;

  @Test
  void cudaFallsBackToCpuWhenUnavailable() {
    EngineSettings s = EngineSettings.defaults().withDevice(DeviceSpec.parse("cuda:0")).withCacheDir(cache);
    try (LoadedModel m = LoadedModel.load(TestModels.folder(ModelShape.TINY), s)) {
      // this machine has no GPU: whichever jar is on the class path, the session must end up on the CPU
      assertEquals("cpu", m.encoder().device());
      String reason = ((OnnxEncoder) m.encoder()).fallbackReason();
      assertTrue(reason != null && reason.startsWith("CUDA unavailable"), "the fallback says why: " + reason);
      assertEquals(64, m.encoder().embeddings(java.util.List.of(new int[] {1, 400, 2})).get(0).length);
    }
  }

  @Test
  void deviceNamesAreValidated() {
    assertEquals(DeviceSpec.Kind.CUDA, DeviceSpec.parse("cuda:3").kind());
    assertEquals(3, DeviceSpec.parse("cuda:3").cudaDevice());
    assertEquals(DeviceSpec.Kind.AUTO, DeviceSpec.parse("auto").kind());
    assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("gpu"));
    assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("cuda:x"));
  }
}
