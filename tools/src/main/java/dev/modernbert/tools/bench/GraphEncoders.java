package dev.modernbert.tools.bench;

import dev.modernbert.inference.engine.EngineSettings;
import dev.modernbert.inference.model.ModelFolder;
import dev.modernbert.inference.onnx.CompileOptions;
import dev.modernbert.inference.onnx.CompiledModelCache;
import dev.modernbert.inference.runtime.DeviceSpec;
import dev.modernbert.inference.runtime.OnnxEncoder;
import dev.modernbert.inference.runtime.OnnxSessions;
import dev.modernbert.inference.runtime.TokenBudgetBatcher;
import java.nio.file.Path;
import java.util.function.ToIntFunction;

/** Encoders opened straight on a compiled graph, so that a benchmark can vary what {@code LoadedModel} fixes. */
final class GraphEncoders {
  private GraphEncoders() {}

  /**
   * Opens {@code graph} of {@code folder} (compiled into {@code workDir}/cache once) on {@code device} with
   * {@code threads} intra-op threads (0 = all cores) and CPU tensors from {@code memory}; a call is cut into
   * batches of at most {@code batchTokens.applyAsInt(device it runs on)} tokens.
   */
  static OnnxEncoder open(ModelFolder folder, CompileOptions graph, Path workDir, String device, int threads,
      OnnxSessions.CpuMemory memory, ToIntFunction<String> batchTokens) throws Exception {
    OnnxSessions.Opened opened = OnnxSessions.open(CompiledModelCache.graph(folder, graph, workDir.resolve("cache")),
        DeviceSpec.parse(device), threads, memory);
    return new OnnxEncoder(opened, folder.hiddenSize(), folder.padTokenId(),
        new TokenBudgetBatcher(batchTokens.applyAsInt(opened.device()), EngineSettings.defaults().maxBatchPadding()),
        folder.profile().pooling());
  }
}
