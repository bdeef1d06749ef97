package dev.modernbert.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.engine.LoadedModel;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.CompiledModelCache;
import dev.modernbert.inference.random.ModelShape;
import dev.modernbert.inference.testing.TestModels;
import dev.modernbert.inference.random.RandomTokens;
import dev.modernbert.inference.runtime.OnnxSessions.CpuMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device selection: CUDA requested where it cannot load falls back to CPU (and to the fp32 graph) and says so; CPU
 * runs give their arena memory back; a session without the arena (only measured against) computes the same.
 */
class OnnxSessionsTest {
  @TempDir Path cache;

  /**
   * CUDA asked for: on a GPU the session runs there (fp16 graph) and says nothing; where CUDA cannot load (no GPU, or
   * the CPU jar) it runs on the CPU, says why, and computes exactly what a CPU-only model computes.
   */
  @Test
  void cudaRunsOnAGpuAndFallsBackToCpuElsewhere() {
    EngineSettings s = EngineSettings.defaults().withDevice(DeviceSpec.parse("cuda:0")).withCacheDir(cache);
    try (LoadedModel m = LoadedModel.load(TestModels.folder(ModelShape.TINY), s)) {
      String reason = ((OnnxEncoder) m.encoder()).fallbackReason();
      List<int[]> ids = List.of(new int[] {1, 400, 500, 600, 2});
      try (LoadedModel cpu = LoadedModel.load(TestModels.folder(ModelShape.TINY),
          s.withDevice(DeviceSpec.parse("cpu")))) {
        float[] expected = cpu.encoder().hiddenStates(ids).get(0)[2];
        float[] actual = m.encoder().hiddenStates(ids).get(0)[2];
        if (m.encoder().device().startsWith("cuda")) {
          assertNull(reason, "no fallback on a GPU");
          assertArrayEquals(expected, actual, 2e-2f, "the fp16 graph on CUDA");
        } else {
          assertEquals("cpu", m.encoder().device());
          assertTrue(reason != null && reason.startsWith("CUDA unavailable"), "the fallback says why: " + reason);
          assertArrayEquals(expected, actual, 1e-6f, "the CPU runs the fp32 graph, as a CPU-only model does");
        }
      }
    }
  }

  @Test
  void theBatchBudgetFollowsTheDeviceTheModelRunsOn() {
    EngineSettings byDevice = EngineSettings.defaults();
    assertEquals(EngineSettings.CPU_BATCH_TOKENS, byDevice.batchTokensOn("cpu"));
    assertEquals(EngineSettings.CUDA_BATCH_TOKENS, byDevice.batchTokensOn("cuda:1"));
    assertEquals(512, byDevice.withBatching(512, 0.2).batchTokensOn("cuda:0"), "a set budget wins");
    // CUDA asked for: the budget of the device that runs it — where that is the CPU, 64 texts of 100 tokens go in
    // batches of 20, not one
    EngineSettings s = byDevice.withDevice(DeviceSpec.parse("cuda:0")).withCacheDir(cache);
    try (LoadedModel m = LoadedModel.load(TestModels.folder(ModelShape.TINY), s)) {
      List<int[]> texts = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        texts.add(RandomTokens.ids(100, i));
      }
      m.encoder().embeddings(texts);
      int perBatch = s.batchTokensOn(m.encoder().device()) / 100;
      assertEquals((64 + perBatch - 1) / perBatch, ((OnnxEncoder) m.encoder()).batchCount());
    }
  }

  @Test
  void cpuRunsShrinkTheArenaWithoutChangingResults() {
    // the run option names the CPU arena; the runtime refuses it if no arena is registered, so this also checks
    // that sessions keep theirs — and a buffer reused from the arena must not leak one run's numbers into the next
    EngineSettings s = EngineSettings.defaults().withDevice(DeviceSpec.parse("cpu")).withCacheDir(cache);
    try (LoadedModel m = LoadedModel.load(TestModels.folder(ModelShape.TINY), s)) {
      List<int[]> longFirst = List.of(RandomTokens.ids(300, 1), RandomTokens.ids(40, 2));
      float[][] first = m.encoder().hiddenStates(longFirst).get(1);
      m.encoder().hiddenStates(List.of(RandomTokens.ids(700, 3)));
      float[][] again = m.encoder().hiddenStates(longFirst).get(1);
      for (int t = 0; t < first.length; t++) {
        assertArrayEquals(first[t], again[t], 0f, "token " + t);
      }
    }
  }

  @Test
  void aSessionWithoutTheArenaComputesTheSameAndIsNotShrunk() throws Exception {
    ModelFolder folder = ModelFolder.open(TestModels.folder(ModelShape.TINY));
    Path graph = CompiledModelCache.graph(folder,
        new CompileOptions(CompileOptions.AttentionMode.BLOCKED, folder.profile().pooling(), false), cache);
    List<int[]> texts = List.of(RandomTokens.ids(300, 4), RandomTokens.ids(40, 5));
    try (OnnxEncoder arena = encoder(folder, OnnxSessions.open(graph, DeviceSpec.parse("cpu"), 0));
        OnnxEncoder malloc = encoder(folder,
            OnnxSessions.open(graph, DeviceSpec.parse("cpu"), 0, CpuMemory.NO_ARENA))) {
      List<float[]> expected = arena.embeddings(texts);
      List<float[]> actual = malloc.embeddings(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), 1e-6f, "text " + i);
      }
    }
    // the arena really is off: asked to shrink it, the runtime refuses the run
    OnnxSessions.Opened noArena = OnnxSessions.open(graph, DeviceSpec.parse("cpu"), 0, CpuMemory.NO_ARENA);
    try (OnnxEncoder mislabelled = encoder(folder,
        new OnnxSessions.Opened(noArena.session(), noArena.device(), null, CpuMemory.ARENA))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> mislabelled.embeddings(texts));
      assertTrue(e.getMessage().contains("arena"), e.getMessage());
    }
  }

  private static OnnxEncoder encoder(ModelFolder folder, OnnxSessions.Opened opened) throws Exception {
    return new OnnxEncoder(opened, folder.hiddenSize(), folder.padTokenId(), new TokenBudgetBatcher(4096, 1.0),
        folder.profile().pooling());
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
